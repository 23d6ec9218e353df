"""What an asset's file may be, in one place for the admin form, the model and the importer.

* At most ``ASSET_MAX_UPLOAD_BYTES`` (200 MB unless set).
* Per asset type, a list of extensions; each extension names the formats its content
  must really be, so a renamed file is refused too: sniffed from the first bytes with
  ``filetype`` (the library Wagtail's image handling uses); zip-based formats opened with
  ``zipfile`` (an Office Open XML file needs ``[Content_Types].xml`` and its own main part,
  wherever they are in the archive); legacy Office files any OLE compound file.
* Nothing a browser or viewer runs: SVG, HTML, XML, JavaScript, PostScript… are on no
  list, and a text file (csv, txt; UTF-8, or UTF-16 with a BOM) that opens with markup is
  refused (``<svg``, ``<!DOCTYPE``, ``<?xml``; not a cell such as ``<100 units``).

Wagtail's own documents get the same content check (``cms.forms.DocumentForm``).
"""

import codecs
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

import filetype

_VIDEO = frozenset({"video/mp4", "video/quicktime", "video/x-m4v"})
TEXT = "text"  # no signature: plain text, checked for markup instead
OLE = "ole"  # an OLE compound file: legacy Word, Excel, PowerPoint (any sector size)
ZIP = "zip"  # a zip archive, read with zipfile rather than guessed from its first entries

#: Extension -> the sniffed MIME types its content may have, or one of the checks above.
FORMATS: dict[str, frozenset[str] | str] = {
    "pdf": frozenset({"application/pdf"}),
    "ai": frozenset({"application/pdf"}),  # Illustrator files saved PDF-compatible
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
    "key": ZIP,
    "zip": ZIP,
    "odt": frozenset({"application/vnd.oasis.opendocument.text"}),  # Wagtail documents only
    "rtf": frozenset({"application/rtf"}),  # Wagtail documents only
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

#: An Office Open XML extension -> the folder of its main part (``word/document.xml``…).
_OOXML_MAIN_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}

_SNIFF_BYTES = 8192
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a first entry, or an empty archive; nothing prepended
_TEXT_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MARKUP = re.compile(r"[\s\ufeff]*<[A-Za-z!?/]")  # <svg, <html, <?xml, <!doctype, <script…; not "<100 units"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_asset_file_extension(file) -> None:
    """The model field's validator: a new upload's extension is one some asset type allows.

    ``Asset.clean`` checks the rest, and judges a stored file again only when it or the asset's type
    changes: an asset whose file today's rules refuse can still have its title fixed or be archived.
    """
    if getattr(file, "_committed", False):
        return
    if extension_of(file.name) not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _extension_message(extension_of(file.name), ALLOWED_EXTENSIONS), code="invalid_extension"
        )


def validate_pdf_rendition(file) -> None:
    """An asset's optional PDF rendition (its previews' source): a real PDF within the upload limit."""
    if getattr(file, "_committed", False):
        return
    if extension_of(file.name) != "pdf":
        raise ValidationError("The PDF rendition must be a .pdf file.", code="invalid_extension")
    if file.size is not None and file.size > settings.ASSET_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is larger than the {filesizeformat(settings.ASSET_MAX_UPLOAD_BYTES)} allowed."
        )
    if problem := file_content_problem(name=file.name, file=file):
        raise ValidationError(problem, code="invalid_content")


def asset_file_problem(*, asset_type: str, name: str, size: int | None = None, file=None) -> str | None:
    """Why a file may not be an asset of ``asset_type`` (its name, size and content), or ``None``.

    ``size`` and ``file`` (open, seekable; left where it was) are checked when given; the extension always.
    """
    extension = extension_of(name)
    allowed = ASSET_TYPE_EXTENSIONS.get(asset_type, ())
    if not allowed:
        return "This type of asset has no file: give its URL."
    if extension not in allowed:
        return _extension_message(extension, allowed, asset_type)
    if size is not None and size > settings.ASSET_MAX_UPLOAD_BYTES:
        return f"The file is larger than the {filesizeformat(settings.ASSET_MAX_UPLOAD_BYTES)} allowed."
    if file is not None:
        return file_content_problem(name=name, file=file)
    return None


def stored_asset_file_problem(*, asset_type: str, field_file) -> str | None:
    """``asset_file_problem`` for a file already in storage (a stored asset's), size aside."""
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            return asset_file_problem(asset_type=asset_type, name=field_file.name, file=handle)
    except FileNotFoundError:
        return "The stored file is missing."


def file_content_problem(*, name: str, file) -> str | None:
    """Why the content of ``file`` (open, seekable) is not what its extension says, or ``None``."""
    extension = extension_of(name)
    expected = FORMATS.get(extension)
    if expected is None:
        return f"Files of type .{extension} cannot be checked, so they are not allowed."
    head = read_head(file)
    if expected == TEXT:
        return _text_problem(extension, head)
    if expected == OLE:
        return None if head.startswith(_OLE_SIGNATURE) else f"This is not a real .{extension} file."
    if expected == ZIP:
        return _zip_problem(extension, head, file)
    sniffed = filetype.guess_mime(head)
    if sniffed not in expected:
        return f"This is not a real .{extension} file" + (f" (its content is {sniffed})." if sniffed else ".")
    return None


def read_head(file) -> bytes:
    """The first bytes of an open file (or Django ``File``), leaving it where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(position)
    return head


def _text_problem(extension: str, head: bytes) -> str | None:
    for bom, encoding in _TEXT_BOMS:
        if head.startswith(bom):
            text = head.decode(encoding, errors="ignore")
            break
    else:
        if filetype.guess_mime(head):
            return f"This is not a plain .{extension} file."
        text = head.decode("latin-1")  # UTF-8 or a legacy code page alike: only ASCII markup matters here
    if "\0" in text or _MARKUP.match(text):
        return f"This is not a plain .{extension} file."
    return None


def _zip_problem(extension: str, head: bytes, file) -> str | None:
    not_real = f"This is not a real .{extension} file."
    if not head.startswith(_ZIP_SIGNATURES):
        return not_real
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:  # reads the central directory only; nothing is unpacked
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return not_real
    finally:
        file.seek(position)
    main_part = _OOXML_MAIN_PART.get(extension)
    if main_part and not ("[Content_Types].xml" in names and any(n.startswith(main_part) for n in names)):
        return not_real
    return None


def _extension_message(extension: str, allowed, asset_type: str | None = None) -> str:
    what = f"File type “.{extension}”" if extension else "A file without an extension"
    scope = f" for {asset_type.replace('_', ' ')} assets" if asset_type else ""
    return f"{what} is not allowed{scope}. Allowed: {', '.join(allowed)}."
