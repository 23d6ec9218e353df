"""What both SCORM versions share: the error a bad element raises, what a commit reads as, and the checks.

Durations: SCORM 1.2's ``CMITimespan`` (``HHHH:MM:SS.SS``) and SCORM 2004's ``timeinterval``
(ISO 8601 duration, ``P[nY][nM][nD][T[nH][nM][n[.n]S]]``; a year counted as 365 days, a month as 30).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


class CmiError(ValueError):
    """A committed element the standard refuses; ``element`` is its dotted name (``cmi.core.lesson_status``)."""

    def __init__(self, element: str, message: str):
        super().__init__(f"{element}: {message}")
        self.element = element
        self.message = message


@dataclass
class Reading:
    """What the hub reads from one commit of one SCO, after the standard's evaluation rules."""

    completion_status: str = "unknown"  # completed | incomplete | not attempted | unknown
    success_status: str = "unknown"  # passed | failed | unknown
    lesson_status: str = ""  # SCORM 1.2's cmi.core.lesson_status as it stands after the mastery rule
    score_raw: Decimal | None = None
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    score_scaled: Decimal | None = None  # -1..1; for 1.2 computed from raw within min..max (0..100 by default)
    location: str = ""
    suspend_data: str = ""
    exit: str = ""
    session_seconds: Decimal = Decimal(0)
    interactions_count: int = 0
    progress_measure: Decimal | None = None


_TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
_DURATION_2004 = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)


def timespan_12_seconds(element: str, value: str) -> Decimal:
    """Seconds in a SCORM 1.2 ``CMITimespan``; ``CmiError`` when it is not one."""
    match = _TIMESPAN_12.match(value)
    if not match:
        raise CmiError(element, f"{value!r} is not a CMITimespan (HHHH:MM:SS.SS).")
    hours, minutes, seconds, fraction = match.groups()
    return Decimal(hours) * 3600 + Decimal(minutes) * 60 + Decimal(seconds) + Decimal(fraction or "0")


def duration_2004_seconds(element: str, value: str) -> Decimal:
    """Seconds in a SCORM 2004 ``timeinterval`` (ISO 8601 duration); ``CmiError`` when it is not one."""
    match = _DURATION_2004.match(value)
    if not match or value.endswith("T"):
        raise CmiError(element, f"{value!r} is not an ISO 8601 duration (e.g. PT1H2M3.5S).")
    years, months, days, hours, minutes, seconds = (Decimal(part or "0") for part in match.groups())
    return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds


def seconds_as_timespan_12(seconds: Decimal) -> str:
    """``seconds`` as a SCORM 1.2 ``CMITimespan`` (hours capped at 9999)."""
    hundredths = int((Decimal(seconds) * 100).to_integral_value())
    whole, fraction = divmod(hundredths, 100)
    hours = min(whole // 3600, 9999)
    return f"{hours:04d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{fraction:02d}"


def seconds_as_duration_2004(seconds: Decimal) -> str:
    """``seconds`` as a SCORM 2004 ``timeinterval`` (``PT#H#M#S``, hundredths kept)."""
    hundredths = int((Decimal(seconds) * 100).to_integral_value())
    whole, fraction = divmod(hundredths, 100)
    text = f"PT{whole // 3600}H{whole // 60 % 60}M{whole % 60}"
    return text + (f".{fraction:02d}S" if fraction else "S")


def decimal_or_none(element: str, value, *, low=None, high=None) -> Decimal | None:
    """A CMIDecimal / real element: ``None`` when blank, else a Decimal within ``low``..``high``."""
    if value in ("", None):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CmiError(element, f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise CmiError(element, f"{value!r} is not a number.")
    if (low is not None and number < low) or (high is not None and number > high):
        raise CmiError(element, f"{value} is outside {low}..{high}.")
    return number


def text(element: str, value, *, max_length: int | None = None) -> str:
    """A character string element (numbers scorm-again sends are taken as their text)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CmiError(element, "must be a string.")
    value = str(value)
    if max_length is not None and len(value) > max_length:
        raise CmiError(element, f"is {len(value)} characters long; the standard allows {max_length}.")
    return value


def vocabulary(element: str, value, allowed) -> str:
    value = text(element, value)
    if value not in allowed:
        raise CmiError(element, f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}.")
    return value


def obj(element: str, value) -> dict:
    """A nested object (``cmi.core``); a collection (``cmi.interactions``) may come as a list or an index map."""
    if value in (None, ""):
        return {}
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if not isinstance(value, dict):
        raise CmiError(element, "must be an object.")
    return value


def collection(element: str, value) -> list[tuple[str, dict]]:
    """The members of a collection (``cmi.interactions``) in index order, each an object."""
    members = obj(element, value)
    items = []
    for key, member in members.items():
        if key.startswith("_"):  # _count, _children
            continue
        if not key.isdigit():
            raise CmiError(f"{element}.{key}", "is not an index of the collection.")
        items.append((key, obj(f"{element}.{key}", member)))
    return sorted(items, key=lambda pair: int(pair[0]))


def refuse_unknown(element: str, value: dict, known) -> None:
    """``CmiError`` for a key of ``value`` that is not an element of the data model there."""
    for key in value:
        if key not in known and not key.startswith("_"):
            raise CmiError(f"{element}.{key}", "is not an element of the data model.")


def read_only(element: str, value, given, *defaults) -> None:
    """A read-only element may come back as the launch gave it (or blank, or the runtime's default), nothing else."""
    value = "" if value is None else value
    if value in ("", {}, []) or value == given or str(value) == str(given) or value in defaults:
        return
    raise CmiError(element, "is read-only: the content may not set it.")


def scaled_from_raw(raw: Decimal | None, low: Decimal | None, high: Decimal | None) -> Decimal | None:
    """A raw score as -1..1 within its min..max (0..100 when they are not given); ``None`` without one."""
    if raw is None:
        return None
    low = Decimal(0) if low is None else low
    high = Decimal(100) if high is None else high
    if high <= low:
        return None
    return max(Decimal(-1), min(Decimal(1), (raw - low) / (high - low)))
