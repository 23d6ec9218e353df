"""Credentials by their HTTP Basic token (one query), refused when unknown, wrong, revoked or expired, or when
the learner they act for has lost access to the hub (deactivated, partner inactive, past their last day)."""

import base64
import binascii
import secrets

from django.utils import timezone

from accounts.access import may_be_signed_in

from ..errors import Unauthorized
from ..hashing import candidate_hashes
from ..models import Credential

MAX_HEADER_LENGTH = 512


def _refused():
    return Unauthorized("Send valid LRS credentials (HTTP Basic: key and secret).")


def credential_authenticate(authorization: str | None, *, now=None) -> Credential:
    """The live credential named by an ``Authorization: Basic …`` header; ``Unauthorized`` otherwise."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic" or not token or len(token) > MAX_HEADER_LENGTH:
        raise _refused()
    try:
        key, _, secret = base64.b64decode(token.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise _refused() from None
    credential = Credential.objects.select_related("user").filter(key=key).first() if key and secret else None
    if credential is None:
        raise _refused()
    if not any(secrets.compare_digest(credential.secret_hash, digest) for digest in candidate_hashes(secret)):
        raise _refused()
    if not credential.is_live(now=now or timezone.now()):
        raise _refused()
    if credential.user is not None and not may_be_signed_in(credential.user):
        raise _refused()
    return credential


def client_credentials():
    """Staff clients' credentials (no learner), newest first."""
    return Credential.objects.filter(user__isnull=True).select_related("created_by")
