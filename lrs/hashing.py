"""Credential secrets as HMAC-SHA-256 digests (the pattern of Wagtail's ``APIToken``, which ``partners.tokens``
uses): one digest per ``SECRET_KEY`` and its fallbacks, so credentials survive a key rotation window."""

import base64

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "partnerhub.lrs.credential"


def hash_secret(secret: str, *, secret_key=None) -> str:
    return salted_hmac(SALT, secret, secret=secret_key, algorithm="sha256").hexdigest()


def candidate_hashes(secret: str) -> list[str]:
    return [hash_secret(secret, secret_key=key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def basic_token(key: str, secret: str) -> str:
    """What goes after ``Basic`` in the Authorization header (and in cmi5's ``auth-token``)."""
    return base64.b64encode(f"{key}:{secret}".encode()).decode()
