"""Tests: fast hashing, in-memory e-mail, isolated media, eager Celery for unit tests.

Integration tests (tests/integration/) run with DATABASE_URL, REDIS_URL,
ELASTICSEARCH_URL and the S3 variables pointing at the real services that
``devtools/stack/`` starts, and a real Celery worker consumes from Redis there.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory; the worker processes of a fault test write files instead (TEST_EMAIL_BACKEND, TEST_EMAIL_FILE_PATH).
EMAIL_BACKEND = env.str("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env.str("TEST_EMAIL_FILE_PATH", default="")
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnerhub-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="partnerhub-test-static-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnerhub-test-private-"))
# Demo files and other working data of a test run stay apart from the development ones.
VAR_DIR = Path(tempfile.mkdtemp(prefix="partnerhub-test-var-"))
if not AWS_STORAGE_BUCKET_NAME:  # noqa: F405
    STORAGES["private"] = {  # noqa: F405
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    }
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Virus scanning: the stack's real clamd in integration tests; unit tests have none (scanning off) unless a
# test points CLAMAV_URL at the small clamd-speaking server of tests/cms/fake_clamd.py.
CLAMAV_URL = env.str("CLAMAV_URL", default="")

# A test-only app with a minimal gated model (tests/testapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
