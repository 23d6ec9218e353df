"""Helpers of the sample builders: the content files, placeholders filled in, a ZIP made in memory."""

import io
import zipfile
from html import escape
from importlib import resources
from xml.sax.saxutils import quoteattr

CONTENT = resources.files(__package__) / "content"


def content(path: str) -> str:
    """A file of ``content/`` (e.g. ``"scorm12/sco.js"``) as text."""
    return (CONTENT / path).read_text(encoding="utf-8")


def fill(template: str, **values) -> str:
    """Replace ``{{name}}`` placeholders with HTML-escaped values."""
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", escape("" if value is None else str(value)))
    return template


def xml_text(value) -> str:
    """A value escaped for XML text."""
    return escape(str(value), quote=False)


def xml_attr(value) -> str:
    """A value as a quoted XML attribute (quotes included)."""
    return quoteattr(str(value))


def zip_bytes(files: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of ``{name: str | bytes}``, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()
