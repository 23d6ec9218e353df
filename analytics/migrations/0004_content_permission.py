"""The permission to see Reports → Content performance (``analytics.view_dailycontentactivity``), given to the
Editors and Moderators groups.

The rollup models declare no default permissions (nobody adds or changes their rows); this one "view" permission
is the report's, as ``search.view_searchquery`` is the search reports'.
"""

from django.db import migrations

CODENAME = "view_dailycontentactivity"
GROUPS = ("Editors", "Moderators")


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="dailycontentactivity")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": "Can view content performance"}
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Permission.objects.filter(content_type__app_label="analytics", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_engagement_permission"),
        ("cms", "0002_marketing_review_workflow"),  # the Editors and Moderators groups
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
