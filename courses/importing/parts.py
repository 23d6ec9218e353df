"""What the course sections' schemas and writes share: nested parts, and reusing stored child rows."""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

import pydantic

SLUG_KEY = {"min_length": 1, "max_length": 100, "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$"}


class Part(pydantic.BaseModel):
    """A nested part of an entry: unknown fields are errors here too."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)


def clean_child(obj, prefix: str, parent_field: str, errors: dict) -> None:
    """``full_clean`` a child row not saved yet; its errors are filed under ``prefix.field``."""
    try:
        obj.full_clean(exclude=[parent_field], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}", []).extend(messages)


def pool(rows, attribute: str) -> dict[str, list]:
    """Stored rows by a matching attribute, in order: ``pop(0)`` reuses the first unused one."""
    rows_by_value = defaultdict(list)
    for row in rows:
        rows_by_value[getattr(row, attribute)].append(row)
    return rows_by_value
