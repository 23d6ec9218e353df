"""The permission to see the engagement dashboard (Reports → Engagement, the admin home's panel).

The rollup tables have no default permissions (nobody adds or changes their rows); this one is
attached to "daily partner activity", where the group editor offers it. 0007 gives it to the Editors
and Moderators groups.
"""

from django.db import migrations

CODENAME = "view_engagement"
NAME = "Can view the engagement dashboard"


def create_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="dailypartneractivity")
    Permission.objects.get_or_create(content_type=content_type, codename=CODENAME, defaults={"name": NAME})


def delete_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="analytics", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_permission, delete_permission)]
