"""Settings come from the environment; production refuses anonymous reads and a missing secret."""

import os
import subprocess
import sys


def setting(name, **env):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "recovery.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout.strip(), result.stderr


def test_development_allows_anonymous_reads():
    assert setting("DELIVERY_ALLOW_ANONYMOUS", RECOVERY_ENV="development")[1] == "True"


def test_production_refuses_anonymous_reads():
    code, out, _ = setting(
        "DELIVERY_ALLOW_ANONYMOUS", RECOVERY_ENV="production", DJANGO_SECRET_KEY="s" * 50
    )
    assert (code, out) == (0, "False")


def test_production_refuses_to_start_without_a_secret_key():
    env = {"RECOVERY_ENV": "production", "DJANGO_SECRET_KEY": ""}
    code, _, err = setting("DEBUG", **env)
    assert code != 0
    assert "Set DJANGO_SECRET_KEY" in err


def test_redis_url_selects_the_shared_cache():
    code, out, _ = setting("CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/5")
    assert code == 0
    assert out == "django.core.cache.backends.redis.RedisCache"
