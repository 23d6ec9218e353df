"""Writes of the content importer: one manifest entry of gated content created or updated, brought to its state."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from wagtail.models import TranslatableMixin

from cms.gating.lifecycle import content_bring_to_state
from cms.models import FileScan
from cms.models.content import file_digest
from cms.scanning.gate import file_refusal, scan_status_of

from .taxonomy import locale_for_code


@transaction.atomic
def content_import(
    *,
    model,
    key: str,
    values: dict,
    relations: dict,
    state: str,
    children: dict | None = None,
    file_path=None,
    translation: dict | None = None,
    user=None,
):
    """Create or update one imported item by ``key`` and bring it to ``state``; return ``(item, created, changed)``.

    An entry equal to what is stored changes nothing: no revision, no version, no log entry.
    """
    item = model.objects.filter(key=key).first()
    created = item is None
    if created:
        item = model(key=key, live=False)
    changed = created
    if issubclass(model, TranslatableMixin):
        translation = translation or {}
        values = {**values, "locale": locale_for_code(code=translation.get("locale"))}
        if translation.get("of"):
            source = model.objects.get(key=translation["of"])
            if item.translation_key != source.translation_key:
                item.translation_key = source.translation_key
                changed = True
    for name, value in values.items():
        field = model._meta.get_field(name)
        wanted = value.pk if field.is_relation and value is not None else value
        if getattr(item, field.attname) != wanted:
            setattr(item, name, value)
            changed = True
    opened = None
    if file_path is not None:
        with open(file_path, "rb") as handle:
            digest = file_digest(File(handle))
        if digest != getattr(item, "file_sha256", None):
            opened = open(file_path, "rb")  # noqa: SIM115 - closed below, after the save copies it
            item.file = File(opened, name=file_path.name)
            changed = True
    for name, objects in relations.items():
        wanted = {obj.pk for obj in objects}
        current = set() if created else {obj.pk for obj in getattr(item, name).all()}
        if wanted != current:
            getattr(item, name).set(objects)
            changed = True
    for name, rows in (children or {}).items():
        current = (
            []
            if created
            else [{k: getattr(child, k) for k in rows[0]} for child in getattr(item, name).all()]
            if rows
            else list(getattr(item, name).all())
        )
        if current != rows:
            setattr(item, name, [getattr(model, name).rel.related_model(**row) for row in rows])
            changed = True
    try:
        if changed:
            item.full_clean()
            item.save()
    finally:
        if opened is not None:
            opened.close()

    _refuse_a_file_not_found_clean(item=item, new_file=opened is not None, state=state)
    state_changed = content_bring_to_state(item=item, state=state, content_changed=changed, user=user)
    return item, created, changed or state_changed


def _refuse_a_file_not_found_clean(*, item, new_file: bool, state: str) -> None:
    """An infected file is never imported (it was quarantined as it was stored); a live entry needs a clean one.

    The scanner being down leaves a new file pending: a draft entry is imported (the re-scan job clears
    the file later), a live one is refused, saying so, and the whole import with it.
    """
    name = item.file.name if getattr(item, "file", None) else ""
    if not name:
        return
    scan = scan_status_of(name) if new_file or state == "live" else None
    if new_file and scan is not None and scan.status == FileScan.Status.INFECTED:
        raise ValidationError({"file": f"the file is infected ({scan.signature}): it was quarantined."})
    if state == "live" and (problem := file_refusal(name)):
        raise ValidationError({"file": f"cannot go live: {problem}"})
