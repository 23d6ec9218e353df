"""The SCORM runtime's reads and rules: launches and what the player shows (``selectors``), how an
attempt's results follow from its SCOs (``aggregate``). Writes are in ``elearning.services.runtime``."""
