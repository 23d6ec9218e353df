"""The partner scorecards' "view" permission (``analytics.view_partnerscore``), given to the Editors.

``PartnerScore`` has no default permissions (its rows are written by the worker only); the scorecards
report checks Django's "view" permission of it, made here. The Editors group holds the demo's channel
managers, who look after partners; the permission is offered in the group editor for any other group.
"""

from django.db import migrations

CODENAME = "view_partnerscore"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="partnerscore")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": "Can view partner scorecards"}
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Permission.objects.filter(content_type__app_label="analytics", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_content_permission"),
        ("cms", "0002_marketing_review_workflow"),  # the Editors group
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
