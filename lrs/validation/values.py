"""Typed values of xAPI: IRIs, UUIDs, timestamps, durations, language maps, extensions, and JSON type checks."""

import re
import uuid
from datetime import UTC, datetime

from ..errors import BadRequest

#: Longest IRI stored (in UTF-8 bytes): it must fit the database's indexes.
MAX_IRI_BYTES = 2048

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$",
)
_NEGATIVE_ZERO_OFFSET = re.compile(r"-00(:?00)?$")
_DURATION = re.compile(
    r"^P(?:\d+W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$"
)
_LANGUAGE_TAG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z0-9]{1,8})*$|^[xXiI]-[A-Za-z0-9-]+$"
)


def fail(path: str, message: str):
    raise BadRequest(f"{path}: {message}")


def is_iri(value) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value)) and len(value.encode()) <= MAX_IRI_BYTES


def check_iri(value, path: str) -> str:
    if not is_iri(value):
        fail(path, "must be an absolute IRI (with a scheme, no spaces, at most 2048 bytes).")
    return value


def check_string(value, path: str) -> str:
    if not isinstance(value, str):
        fail(path, "must be a string.")
    return value


def check_bool(value, path: str) -> bool:
    if not isinstance(value, bool):
        fail(path, "must be true or false.")
    return value


def check_number(value, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, "must be a number.")
    return value


def check_object(value, path: str, *, allowed: set[str], required: set[str] = frozenset()) -> dict:
    """``value`` is a JSON object with only ``allowed`` keys (case-sensitive) and every ``required`` one."""
    if not isinstance(value, dict):
        fail(path, "must be a JSON object.")
    unknown = sorted(set(value) - allowed)
    if unknown:
        fail(path, f"has a property xAPI does not allow here: {unknown[0]!r}.")
    missing = sorted(required - set(value))
    if missing:
        fail(path, f"needs the property {missing[0]!r}.")
    for key, item in value.items():
        if item is None:
            fail(f"{path}.{key}", "must not be null.")
    return value


def parse_uuid(value, path: str) -> uuid.UUID:
    if not isinstance(value, str) or not _UUID.match(value):
        fail(path, "must be a UUID in its standard string form.")
    return uuid.UUID(value)


def parse_timestamp(value, path: str) -> datetime:
    """An ISO 8601 combined date and time; without a zone it is UTC. ``-00:00`` is RFC 3339's, not ISO's: refused."""
    if not isinstance(value, str) or not _TIMESTAMP.match(value) or _NEGATIVE_ZERO_OFFSET.search(value):
        fail(path, "must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00.000Z.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(path, "must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00.000Z.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_duration(value, path: str) -> str:
    if not isinstance(value, str) or not _DURATION.match(value):
        fail(path, "must be an ISO 8601 duration, e.g. PT1H30M5.25S.")
    return value


def check_language_tag(value, path: str) -> str:
    if not isinstance(value, str) or not _LANGUAGE_TAG.match(value):
        fail(path, f"{value!r} is not an RFC 5646 language tag.")
    return value


def check_language_map(value, path: str) -> dict:
    if not isinstance(value, dict):
        fail(path, "must be a language map (a JSON object).")
    for tag, text in value.items():
        check_language_tag(tag, path)
        check_string(text, f"{path}.{tag}")
    return value


def check_extensions(value, path: str) -> dict:
    """Keys are IRIs; values are anything (null included): the LRS never judges them."""
    if not isinstance(value, dict):
        fail(path, "must be a JSON object.")
    for key in value:
        if not is_iri(key):
            fail(path, f"key {key!r} is not an IRI.")
    return value
