"""Settings come from the environment; production settings deploy safely or refuse to start."""

import json
import os
import subprocess
import sys

import pytest


def run(args, **env):
    """Run ``args`` under the given environment (no inherited DJANGO_*/DATABASE_URL/...)."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DELIVERY_", "RECOVERY_"))
        and k not in {"DATABASE_URL", "REDIS_URL", "REQUEST_LOG", "LOG_FORMAT"}
    }
    return subprocess.run(
        args, env={**inherited, **env}, capture_output=True, text=True, check=False
    )


def setting(name, **env):
    """The value of setting ``name`` under ``env``: (exit code, printed value, stderr)."""
    result = run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        **{"DJANGO_SETTINGS_MODULE": "recovery.settings", **env},
    )
    return result.returncode, result.stdout.strip(), result.stderr


def test_development_allows_anonymous_reads():
    assert setting("DELIVERY_ALLOW_ANONYMOUS", RECOVERY_ENV="development")[1] == "True"


def test_production_refuses_anonymous_reads():
    assert setting("DELIVERY_ALLOW_ANONYMOUS", **PRODUCTION)[:2] == (0, "False")


def test_anonymous_reads_in_development_have_a_rate_no_test_suite_meets():
    assert setting("DELIVERY_ANONYMOUS_RATE", RECOVERY_ENV="development")[1] == "100000/min"
    # In production only preview links are read without a key, at a person's pace.
    assert setting("DELIVERY_ANONYMOUS_RATE", **PRODUCTION)[:2] == (0, "120/min")


def test_redis_url_selects_the_shared_cache():
    code, out, _ = setting("CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/5")
    assert code == 0
    assert out == "django.core.cache.backends.redis.RedisCache"


# --- Production settings ----------------------------------------------------------------

STRONG_KEY = "k3y-" + "x9Qz" * 13  # 56 characters, more than 5 distinct
PRODUCTION = {
    "RECOVERY_ENV": "production",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "api.example.org,testserver",
    # Never opened by these tests: nothing they do reaches the database or Redis.
    "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "DJANGO_SETTINGS_MODULE": "recovery.settings",
}


def test_check_deploy_passes_with_no_warning_under_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_settings_would_fail_check_deploy():
    """The check above can fail: the development defaults are not fit to deploy."""
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W018"):
        assert warning in result.stderr


@pytest.mark.parametrize(
    "name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_refuses_to_start_without_each_secret_and_address(name):
    result = run([sys.executable, "manage.py", "check"], **{**PRODUCTION, name: ""})
    assert result.returncode != 0
    assert f"Set {name}: production settings refuse to start without it." in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_SECRET_KEY", "short-key", "DJANGO_SECRET_KEY is too weak"),
        ("DJANGO_SECRET_KEY", "django-insecure-" + "a1b2c3d4e5" * 5, "is too weak"),
        ("DJANGO_SECRET_KEY_FALLBACKS", "old-short-key", "FALLBACKS is too weak"),
        ("DJANGO_DEBUG", "true", "DJANGO_DEBUG cannot be turned on under production"),
        ("DELIVERY_ALLOW_ANONYMOUS", "1", "DELIVERY_ALLOW_ANONYMOUS cannot be turned on"),
    ],
)
def test_production_refuses_weak_keys_debugging_and_anonymous_reads(name, value, message):
    result = run([sys.executable, "manage.py", "check"], **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/api/v1/components/")
api = client.get("/api/v1/components/", secure=True)
admin = client.get("/admin/login/", secure=True)
docs = client.get("/api/docs/", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "api": [api.status_code, dict(api.headers)],
    "admin": [admin.status_code, dict(admin.headers),
              {name: dict(c) for name, c in admin.cookies.items()}],
    "docs": [docs.status_code, docs.get("Content-Security-Policy")],
}))
"""


@pytest.fixture(scope="module")
def production_answers():
    result = run([sys.executable, "-c", PROBE], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    answers["log"] = [json.loads(line) for line in result.stderr.splitlines() if line[:1] == "{"]
    return answers


def test_production_redirects_plain_http_to_https(production_answers):
    assert production_answers["plain"] == [301, "https://testserver/api/v1/components/"]


def test_production_requires_an_api_key(production_answers):
    status, headers = production_answers["api"]
    assert status == 401
    assert headers["Content-Type"] == "application/problem+json"


def test_production_sends_hsts_and_secure_cookies(production_answers):
    _, headers = production_answers["api"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, cookies = production_answers["admin"]
    assert status == 200
    assert cookies["csrftoken"]["secure"] is True
    assert cookies["csrftoken"]["httponly"] is True
    code, out, _ = setting("SESSION_COOKIE_SECURE", **PRODUCTION)
    assert (code, out) == (0, "True")


def test_the_admin_and_the_docs_have_a_content_security_policy(production_answers):
    _, admin, _ = production_answers["admin"]
    policy = dict(
        part.strip().split(" ", 1) for part in admin["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert admin["X-Frame-Options"] == "DENY"
    status, docs_policy = production_answers["docs"]
    assert status == 200
    assert "script-src 'self'" in docs_policy  # no inline script on the docs page either
    # JSON answers are never rendered as pages: no policy is built for them.
    assert "Content-Security-Policy" not in production_answers["api"][1]


def test_production_logs_one_json_line_per_request(production_answers):
    lines = [line for line in production_answers["log"] if line["logger"] == "recovery.requests"]
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/api/v1/components/", 301),
        ("/api/v1/components/", 401),
        ("/admin/login/", 200),
        ("/api/docs/", 200),
    ]
    for line in lines:
        assert line["duration_ms"] >= 0
        assert line["api_key"] is None
