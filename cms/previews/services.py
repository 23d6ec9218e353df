"""Writes of previews: make a version's thumbnail and first pages and store them privately (the worker calls this).

The source is chosen by the file's format: a PDF (or Illustrator PDF) itself, an image itself, an Office file
through its PDF rendition (uploaded by an editor) or else LibreOffice when installed; anything else (videos,
archives, text) gets no preview. Only servable versions (``AssetVersion.objects.servable()``) are previewed.
Running it again replaces what it made before, so the task may run twice.
"""

import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import AssetVersion, PreviewImage, VersionPreview
from ..uploads import extension_of
from . import render

logger = logging.getLogger("partnerhub.previews")


def _read(field_file) -> bytes:
    size = field_file.storage.size(field_file.name)
    if size > settings.PARTNERHUB_PREVIEW_MAX_BYTES:
        raise render.PreviewError("The file is too large to preview.")
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def _pictures(version: AssetVersion) -> tuple[str, int | None, list[render.Picture]] | None:
    """``(source, page count, pictures)`` of the version's first pages, or ``None`` for a format without preview."""
    pages, width = settings.PARTNERHUB_PREVIEW_PAGES, settings.PARTNERHUB_PREVIEW_WIDTH
    extension = extension_of(version.file.name)
    if extension in render.PDF_EXTENSIONS:
        return ("file", *render.pdf_pages(_read(version.file), pages=pages, width=width))
    if extension in render.IMAGE_EXTENSIONS:
        return "file", 1, [render.image_picture(_read(version.file), width=width)]
    if extension in render.OFFICE_EXTENSIONS:
        if version.pdf_rendition:
            return ("pdf_rendition", *render.pdf_pages(_read(version.pdf_rendition), pages=pages, width=width))
        if render.soffice_path():
            pdf = render.office_to_pdf(_read(version.file), extension=extension)
            return ("libreoffice", *render.pdf_pages(pdf, pages=pages, width=width))
    return None


def version_previews_generate(*, version_id: int) -> VersionPreview | None:
    """Make (again) the previews of one version; ``None`` when the version is gone or may not be served."""
    version = AssetVersion.objects.servable().filter(pk=version_id).first()
    if version is None:
        return None
    preview, _created = VersionPreview.objects.get_or_create(version=version)
    try:
        made = _pictures(version)
    except render.PreviewError as error:
        return _finish(preview, status=VersionPreview.Status.FAILED, error=str(error)[:255])
    except FileNotFoundError:
        return _finish(preview, status=VersionPreview.Status.FAILED, error="The file is missing from storage.")
    if made is None or not made[2]:
        return _finish(preview, status=VersionPreview.Status.UNSUPPORTED)
    source, page_count, pictures = made
    thumbnail = render.thumbnail_of(pictures[0], width=settings.PARTNERHUB_THUMBNAIL_WIDTH)
    images = [(PreviewImage.Kind.THUMBNAIL, 1, thumbnail)]
    images += [(PreviewImage.Kind.PAGE, number, picture) for number, picture in enumerate(pictures, start=1)]
    return _finish(preview, status=VersionPreview.Status.READY, source=source, page_count=page_count, images=images)


def _finish(preview: VersionPreview, *, status, error="", source="", page_count=None, images=()) -> VersionPreview:
    """Store the new pictures, then swap them for the old ones in one transaction (old files deleted after)."""
    stem = f"v{preview.version_id}-{secrets.token_hex(8)}"
    new_rows = []
    for kind, page, picture in images:
        row = PreviewImage(preview=preview, kind=kind, page=page, width=picture.width, height=picture.height)
        row.file.save(f"{stem}-{kind}-{page}.jpg", ContentFile(picture.data), save=False)
        new_rows.append(row)
    with transaction.atomic():
        preview = VersionPreview.objects.select_for_update().get(pk=preview.pk)
        old = list(preview.images.all())
        PreviewImage.objects.filter(pk__in=[row.pk for row in old]).delete()
        for row in new_rows:
            row.full_clean(exclude=["preview"])
        PreviewImage.objects.bulk_create(new_rows)
        preview.status, preview.error, preview.source = status, error, source
        preview.page_count, preview.generated_at = page_count, timezone.now()
        preview.full_clean()
        preview.save()
        transaction.on_commit(lambda: _delete_files([row.file for row in old]), robust=True)
    if status == VersionPreview.Status.FAILED:
        logger.warning("No preview of asset version %s: %s", preview.version_id, error)
    return preview


def _delete_files(files) -> None:
    for field_file in files:
        field_file.storage.delete(field_file.name)
