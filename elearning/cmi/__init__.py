"""The SCORM run-time data models (CMI) as the hub checks and reads them on every commit.

``scorm12.check`` and ``scorm2004.check`` take the ``cmi`` object scorm-again commits (its JSON
commit format: ``{"cmi": {...}}``) and the read-only values the launch handed to the SCO, refuse
what the standard does not allow (``CmiError`` naming the element) and answer a ``Reading``: the
statuses, score, location, suspend data, exit, session time and interaction count the hub keeps in
columns, evaluated as the standard says (1.2 mastery score, 2004 completion threshold and scaled
passing score).
"""

from .common import CmiError, Reading

__all__ = ["CmiError", "Reading"]
