"""The models whose files are scanned, so that the re-scan job also finds files stored before scanning was on.

An app registers ``(model, field)`` from its ``AppConfig.ready()``: cms its assets and their versions,
elearning its package archives.
"""

_SOURCES: list[tuple[type, str]] = []


def register_scanned_files(model, field: str) -> None:
    if (model, field) not in _SOURCES:
        _SOURCES.append((model, field))


def scanned_file_sources() -> tuple[tuple[type, str], ...]:
    return tuple(_SOURCES)
