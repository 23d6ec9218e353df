"""Model bases and write helpers every app shares: keyed reference data and field-by-field updates.

``core`` is not an installed app: only abstract models live here, so nothing in this
module ever needs a migration.
"""

from django.db import models


class KeyedModel(models.Model):
    """Reference data with a stable, import-safe key and a display name."""

    key = models.SlugField(max_length=64, unique=True, help_text="Stable identifier used by imports and the API.")
    name = models.CharField(max_length=100)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


def set_changed_fields(instance, values: dict) -> list[str]:
    """Set the fields of ``values`` that differ from ``instance``'s (relations compared by id); their names."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        wanted = value.pk if field.is_relation and value is not None else value
        if getattr(instance, field.attname) != wanted:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def model_update(*, instance, fields, data: dict):
    """Set the ``fields`` of ``instance`` that differ from ``data``, validate, and save only those.

    Fields missing from ``data`` are left alone; relations are compared by id. Fields with
    ``auto_now`` (an ``updated_at``) are saved along, as a full ``save()`` would. Nothing is
    validated or written when nothing differs. Return ``(instance, updated)``.
    """
    changed = set_changed_fields(instance, {name: data[name] for name in fields if name in data})
    if changed:
        instance.full_clean()
        auto_now = [
            field.name
            for field in instance._meta.concrete_fields
            if getattr(field, "auto_now", False) and field.name not in changed
        ]
        instance.save(update_fields=[*changed, *auto_now])
    return instance, bool(changed)


def keyed_upsert(model, *, key: str, **values):
    """Create or update the row of ``model`` with ``key``; return ``(obj, created, changed)``.

    Nothing is written when every value is already stored; ``full_clean`` runs before a save.
    """
    obj = model.objects.filter(key=key).first()
    if obj is not None:
        obj, changed = model_update(instance=obj, fields=list(values), data=values)
        return obj, False, changed
    obj = model(key=key, **values)
    obj.full_clean()
    obj.save()
    return obj, True, True
