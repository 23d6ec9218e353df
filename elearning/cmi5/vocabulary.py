"""The cmi5 vocabulary (verbs, categories, extensions, activity types) and the hub's generated activity ids.

cmi5 §8.1.5 and §9.4: the LMS generates the activity id of each AU, block and course; it must not be the
publisher's id from ``cmi5.xml`` (that one travels in ``contextActivities.grouping``), and stays the same for
the same AU in every registration. The hub derives them from the package and the publisher's id.
"""

import hashlib

from django.conf import settings

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"
LAUNCHED, INITIALIZED, COMPLETED = ADL + "launched", ADL + "initialized", ADL + "completed"
PASSED, FAILED, TERMINATED = ADL + "passed", ADL + "failed", ADL + "terminated"
ABANDONED, WAIVED, SATISFIED = W3ID + "abandoned", W3ID + "waived", W3ID + "satisfied"
VERB_NAMES = {
    LAUNCHED: "launched",
    INITIALIZED: "initialized",
    COMPLETED: "completed",
    PASSED: "passed",
    FAILED: "failed",
    TERMINATED: "terminated",
    ABANDONED: "abandoned",
    WAIVED: "waived",
    SATISFIED: "satisfied",
}
#: The verbs an AU may use in cmi5 defined statements; the others are the LMS's.
AU_VERBS = frozenset({INITIALIZED, COMPLETED, PASSED, FAILED, TERMINATED})

CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
EXT_SESSION, EXT_MASTERY, EXT_LAUNCH_MODE = EXT + "sessionid", EXT + "masteryscore", EXT + "launchmode"
EXT_LAUNCH_URL, EXT_MOVE_ON, EXT_LAUNCH_PARAMETERS = EXT + "launchurl", EXT + "moveon", EXT + "launchparameters"
EXT_REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
TYPE_COURSE = "https://w3id.org/xapi/cmi5/activitytype/course"
TYPE_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"

#: moveOn values and the results that meet them (``NotApplicable``: met as soon as the registration exists).
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")


def move_on_met(move_on: str | None, *, completed: bool, passed: bool, waived: bool = False) -> bool:
    """Whether an AU with ``move_on`` is done (cmi5 §13.1.4 moveOn; a waived AU always is, §9.3.9)."""
    if waived or move_on in (None, "", "NotApplicable"):
        return True
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
    }.get(move_on, False)


def _base(package) -> str:
    return f"{settings.PARTNERHUB_PUBLIC_URL.rstrip('/')}/xapi/activities/cmi5/{package.pk}"


def _digest(publisher_id: str) -> str:
    return hashlib.sha256(publisher_id.encode()).hexdigest()[:24]


def au_activity_id(package, publisher_id: str) -> str:
    """The activity id the hub gives AU ``publisher_id`` of ``package`` (the same in every registration)."""
    return f"{_base(package)}/au/{_digest(publisher_id)}"


def block_activity_id(package, publisher_id: str) -> str:
    return f"{_base(package)}/block/{_digest(publisher_id)}"


def course_activity_id(package) -> str:
    return f"{_base(package)}/course"
