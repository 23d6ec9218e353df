"""The LRS's settings, each with a default; set any of them in the Django settings to change it."""

from django.conf import settings

#: The xAPI version this LRS answers with (``X-Experience-API-Version``) and lists in ``/xapi/about``.
XAPI_VERSION = "1.0.3"


def max_body_bytes() -> int:
    """Largest request body (a statement batch or a state document) accepted; larger ones get 413."""
    return getattr(settings, "LRS_MAX_BODY_BYTES", 2 * 1024 * 1024)


def max_page_size() -> int:
    """Most statements in one answer of GET statements (``limit=0`` means this many)."""
    return getattr(settings, "LRS_MAX_PAGE_SIZE", 100)


def max_batch_size() -> int:
    """Most statements in one POST."""
    return getattr(settings, "LRS_MAX_BATCH_SIZE", 500)


def more_link_seconds() -> int:
    """How long a ``more`` link keeps working (the spec asks for at least 24 hours)."""
    return getattr(settings, "LRS_MORE_LINK_SECONDS", 2 * 24 * 3600)


def authority_home_page() -> str:
    """The ``homePage`` of the account that names a credential in a statement's ``authority``."""
    default = getattr(settings, "PARTNERHUB_PUBLIC_URL", "http://localhost:8000").rstrip("/") + "/xapi/"
    return getattr(settings, "LRS_AUTHORITY_HOMEPAGE", default)


def protected_state_ids() -> frozenset[str]:
    """State documents that only the hub (or an ``all`` credential) writes: cmi5's launch data (cmi5 §10)."""
    return frozenset(getattr(settings, "LRS_PROTECTED_STATE_IDS", ["LMS.LaunchData"]))
