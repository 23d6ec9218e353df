"""What an asset's file may be, in one place for the admin form, the model and the importer.

* At most ``ASSET_MAX_UPLOAD_BYTES`` (200 MB unless set).
* Per asset type, a list of extensions; each extension names the formats its content
  must really be (sniffed from the first bytes with ``filetype``, the library Wagtail's
  image handling uses), so a renamed file is refused too.
* Nothing a browser or viewer runs: SVG, HTML, XML, JavaScript, PostScript… are on no
  list, and a text file (csv, txt) that opens with markup is refused.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

import filetype

_OLE = frozenset({"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"})
_VIDEO = frozenset({"video/mp4", "video/quicktime", "video/x-m4v"})
TEXT = frozenset()  # no signature: plain text, checked for markup instead

#: Extension -> the sniffed MIME types its content may have.
FORMATS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "ai": frozenset({"application/pdf"}),  # Illustrator files saved PDF-compatible
    "docx": frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    "xlsx": frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    "pptx": frozenset({"application/vnd.openxmlformats-officedocument.presentationml.presentation"}),
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "key": frozenset({"application/zip"}),
    "zip": frozenset({"application/zip"}),
    "png": frozenset({"image/png"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "gif": frozenset({"image/gif"}),
    "webp": frozenset({"image/webp"}),
    "mp4": _VIDEO,
    "mov": _VIDEO,
    "webm": frozenset({"video/webm"}),
    "csv": TEXT,
    "txt": TEXT,
}

_OFFICE = ("pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "csv", "txt")

#: Asset type (``Asset.AssetType`` value) -> the extensions its file may have. Links have no file.
ASSET_TYPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "document": _OFFICE,
    "presentation": ("pptx", "ppt", "key", "pdf"),
    "video": ("mp4", "mov", "webm"),
    "image": ("png", "jpg", "jpeg", "gif", "webp"),
    "brand_kit": ("zip", "png", "jpg", "jpeg", "pdf", "ai"),
    "price_list": ("xlsx", "xls", "csv", "pdf"),
    "battlecard": ("pdf", "docx", "pptx", "png", "jpg", "jpeg"),
    "link": (),
}

ALLOWED_EXTENSIONS = tuple(sorted({ext for exts in ASSET_TYPE_EXTENSIONS.values() for ext in exts}))

_SNIFF_BYTES = 8192
_MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")  # <svg, <html, <?xml, <!doctype, <script…, with or without a BOM


def max_upload_bytes() -> int:
    return settings.ASSET_MAX_UPLOAD_BYTES


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_asset_file_extension(file) -> None:
    """The model field's validator: an extension some asset type allows (``asset_file_problem`` checks the rest)."""
    if extension_of(file.name) not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _extension_message(extension_of(file.name), ALLOWED_EXTENSIONS), code="invalid_extension"
        )


def asset_file_problem(
    *, asset_type: str, name: str, size: int | None = None, head: bytes | None = None
) -> str | None:
    """Why a file may not be an asset of ``asset_type`` (its name, size and first bytes), or ``None``.

    ``size`` and ``head`` are checked when given (a new upload); the extension always.
    """
    extension = extension_of(name)
    allowed = ASSET_TYPE_EXTENSIONS.get(asset_type, ())
    if not allowed:
        return "This type of asset has no file: give its URL."
    if extension not in allowed:
        return _extension_message(extension, allowed, asset_type)
    if size is not None and size > max_upload_bytes():
        return f"The file is larger than the {filesizeformat(max_upload_bytes())} allowed."
    if head is not None:
        return _content_problem(extension, head)
    return None


def read_head(file) -> bytes:
    """The first bytes of an open file (or Django ``File``), leaving it where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(position)
    return head


def _content_problem(extension: str, head: bytes) -> str | None:
    sniffed = filetype.guess_mime(head)
    expected = FORMATS[extension]
    if not expected:  # TEXT
        if sniffed or b"\0" in head or head.lstrip().startswith(_MARKUP_STARTS):
            return f"This is not a plain .{extension} file."
        return None
    if sniffed not in expected:
        return f"This is not a real .{extension} file" + (f" (its content is {sniffed})." if sniffed else ".")
    return None


def _extension_message(extension: str, allowed, asset_type: str | None = None) -> str:
    what = f"File type “.{extension}”" if extension else "A file without an extension"
    scope = f" for {asset_type.replace('_', ' ')} assets" if asset_type else ""
    return f"{what} is not allowed{scope}. Allowed: {', '.join(allowed)}."
