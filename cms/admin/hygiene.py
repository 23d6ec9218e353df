"""The asset editor's side of duplicate files: a notice on the edit view, a warning after an upload.

Neither refuses anything (an identical file may be meant: a language variant not translated
yet, a second audience): they say which other assets have the same file, with links, so the
editor can keep one. ``cms.wagtail_hooks`` registers both; the report is
``cms.admin.reports.duplicate_files``.
"""

from django.contrib.admin.utils import quote
from django.urls import reverse

from wagtail.admin import messages

from cms.hygiene.selectors import assets_with_file
from cms.models import Asset
from cms.models.content import file_digest

SHOWN = 5  # links in one message; the report has them all


def _buttons(assets) -> list:
    return [
        messages.button(reverse("wagtailsnippets_cms_asset:edit", args=(quote(asset.pk),)), asset.title)
        for asset in assets[:SHOWN]
    ]


def _more(assets) -> str:
    if len(assets) <= SHOWN:
        return ""
    return f" (and {len(assets) - SHOWN} more: see the report “Assets: duplicate files”)"


def duplicate_notice(request, instance):
    """``before_edit_snippet``: opening an asset whose file other assets have too shows which (GET only)."""
    if request.method != "GET" or not isinstance(instance, Asset) or not instance.file_sha256:
        return None
    others = assets_with_file(sha256=instance.file_sha256, exclude_pk=instance.pk)
    if others:
        count = "another asset" if len(others) == 1 else f"{len(others)} other assets"
        messages.warning(
            request,
            f"Duplicate file: this asset's file is identical to the file of {count}{_more(others)}.",
            buttons=_buttons(others),
        )
    return None


def _uploaded_digest(request, instance) -> str:
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return ""
    try:
        return file_digest(uploaded)
    except (ValueError, OSError):  # closed after it was stored: the stored file's hash is the same content
        return instance.file_sha256


def upload_warning(request, instance):
    """``after_create_snippet`` / ``after_edit_snippet``: a file just uploaded that other assets already have."""
    if not isinstance(instance, Asset):
        return None
    digest = _uploaded_digest(request, instance)
    others = assets_with_file(sha256=digest, exclude_pk=instance.pk)
    if others:
        messages.warning(
            request,
            f"The file you uploaded is already in the library: {', '.join(f'“{a.title}”' for a in others[:SHOWN])}"
            f"{_more(others)} has the same file. It was saved; if it is the same document, keep one asset.",
            buttons=_buttons(others),
        )
    return None
