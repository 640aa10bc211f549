import os

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import EditorFactory, ReviewerFactory, SuperuserFactory

# CI runs the same examples every time (a red build is reproducible); set
# HYPOTHESIS_PROFILE=explore to search new ones locally.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    from django.conf import settings

    # Tests run inside transactions, where a NOTIFY is never delivered: read the generation
    # row instead (tests/delivery/test_listen.py covers LISTEN with committed transactions).
    settings.DELIVERY_FRESHNESS = "query"

    # On SQLite the test database is a file, not shared memory: the job worker's threads
    # write beside the test's, and only a file's locks wait (shared memory fails at once).
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="recovery-tests-"))
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")

    # Test users need no slow password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the worker's one-time question (may this role read the
    cluster's timeline?) asked before any test counts its queries."""
    from content.delivery import freshness

    with django_db_blocker.unblock():
        freshness.read_table()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores pictures in a folder of its own, never in the checkout's media/:
    loading the demo uploads its pictures and makes their renditions."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_delivery_caches():
    """Each test starts its database at generation 1 again: forget answers from earlier tests."""
    from content.delivery import freshness

    freshness.restart_worker()
    yield
    freshness.restart_worker()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def other_editor(db):
    return EditorFactory()


@pytest.fixture
def reviewer(db):
    return ReviewerFactory()


@pytest.fixture
def second_reviewer(db):
    return ReviewerFactory()


@pytest.fixture
def superuser(db):
    return SuperuserFactory()
