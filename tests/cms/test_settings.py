"""Production settings refuse to start without secrets and pass ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "partners.example.com",
    "CLAMAV_URL": "tcp://127.0.0.1:3310",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "CLAMAV_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "CLAMAV_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


# What a bare `gunicorn cms.wsgi`, `celery -A cms` or `manage.py` runs with no settings variable chosen.
PRINT_SETTINGS = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
ENTRY_POINTS = {
    "cms.wsgi": [sys.executable, "-c", f"import cms.wsgi; {PRINT_SETTINGS}"],
    "cms.celery": [sys.executable, "-c", f"from cms.celery import app; app.conf.broker_url; {PRINT_SETTINGS}"],
    "manage.py": [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", PRINT_SETTINGS],
}
UNSET = ("SECRET_KEY", "ALLOWED_HOSTS", "CLAMAV_URL", "DJANGO_SETTINGS_MODULE", "DEBUG")


def run_bare(command, **env):
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_entry_points_default_to_production_and_refuse_to_start_without_a_key(entry_point):
    result = run_bare(ENTRY_POINTS[entry_point])
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_entry_points_run_production_settings_with_debug_off(entry_point):
    result = run_bare(
        ENTRY_POINTS[entry_point],
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS=PRODUCTION["ALLOWED_HOSTS"],
        CLAMAV_URL=PRODUCTION["CLAMAV_URL"],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cms.settings.production", "False"]


@pytest.mark.parametrize(
    "key", ["dev-only-insecure-key-change-me", "test-only-secret-key", "django-insecure-" + "x1y2z3" * 9]
)
def test_production_refuses_a_published_key(key):
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY is a published development key" in result.stderr


def test_a_weak_key_is_reported_by_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SECRET_KEY": "short-key"})
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def dev_secret_key(var_dir, **env):
    command = [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    result = run_bare(command, DJANGO_SETTINGS_MODULE="cms.settings.dev", PARTNERHUB_VAR_DIR=str(var_dir), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_development_key_is_random_per_checkout_and_kept_private(tmp_path):
    first = dev_secret_key(tmp_path / "one")
    assert first == dev_secret_key(tmp_path / "one")  # kept: sessions survive a restart
    assert first != dev_secret_key(tmp_path / "two")  # another checkout, another key
    assert len(first) >= 50
    assert first != "dev-only-insecure-key-change-me"
    key_file = tmp_path / "one" / "secret_key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_development_takes_the_key_from_the_environment_when_set(tmp_path):
    assert dev_secret_key(tmp_path, SECRET_KEY="from-the-environment") == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


PRINT_PROXIES = "from django.conf import settings; print(settings.NINJA_NUM_PROXIES)"


def test_production_trusts_one_proxy_by_default_and_the_environment_says_how_many():
    shell = ("shell", "--verbosity", "0", "-c", PRINT_PROXIES)
    assert manage(*shell, **PRODUCTION).stdout.strip() == "1"
    assert manage(*shell, **PRODUCTION, NINJA_NUM_PROXIES="2").stdout.strip() == "2"
    assert manage(*shell, **PRODUCTION, NINJA_NUM_PROXIES="0").stdout.strip() == "0"


PRINT_CONNECTIONS = "from django.db import connection; print(connection.settings_dict['CONN_MAX_AGE'])"


def test_production_keeps_database_connections_a_minute_unless_told():
    shell = ("shell", "--verbosity", "0", "-c", PRINT_CONNECTIONS)
    assert manage(*shell, **PRODUCTION).stdout.strip() == "60"
    assert manage(*shell, **PRODUCTION, DATABASE_CONN_MAX_AGE="0").stdout.strip() == "0"


PRINT_OPTIONS = "from django.db import connection; print(connection.settings_dict['OPTIONS'].get('options', ''))"


def test_postgresql_connections_run_without_jit_unless_told():
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://hub@127.0.0.1:1/hub"}  # settings only: nothing connects
    shell = ("shell", "--verbosity", "0", "-c", PRINT_OPTIONS)
    assert manage(*shell, **postgres).stdout.strip() == "-c jit=off"
    assert manage(*shell, **postgres, DATABASE_JIT="true").stdout.strip() == ""
    assert manage(*shell, **PRODUCTION, DATABASE_URL="sqlite:///:memory:").stdout.strip() == ""
