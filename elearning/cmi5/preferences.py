"""cmi5's learner preferences (cmi5 §11): the ``cmi5LearnerPreferences`` document of the learner's Agent Profile.

The AU reads it at startup. The hub writes it when a learner's first cmi5 launch finds none: their language
(their own choice on the hub, else the hub's default language) and audio "on" (the hub keeps no audio
preference). From then on the document is the learner's: the AU may change it (their launch credential may), and
a launch never overwrites it.
"""

import json

from django.conf import settings

from accounts.preferences import language_of
from lrs.errors import PreconditionFailed
from lrs.services import agent_profile_put

LEARNER_PREFERENCES = "cmi5LearnerPreferences"


def language_tag(code: str) -> str:
    """An RFC 5646 tag for a Django language code: ``pt-br`` -> ``pt-BR``, ``de`` -> ``de``."""
    language, _, region = code.partition("-")
    if not region:
        return language.lower()
    return f"{language.lower()}-{region.upper() if len(region) == 2 else region.title()}"


def learner_preferences(user) -> dict:
    """The preferences the hub gives ``user``'s AUs (one query)."""
    return {"languagePreference": language_tag(language_of(user) or settings.LANGUAGE_CODE), "audioPreference": "on"}


def learner_preferences_ensure(*, user, agent: dict) -> bool:
    """Write ``user``'s ``cmi5LearnerPreferences`` to ``agent``'s profile unless there is one; ``True`` if written."""
    try:
        agent_profile_put(
            agent=agent,
            profile_id=LEARNER_PREFERENCES,
            content=json.dumps(learner_preferences(user)).encode(),
            content_type="application/json",
            if_none_match="*",
        )
    except PreconditionFailed:
        return False  # the learner's own (or an earlier launch's): kept as it is
    return True
