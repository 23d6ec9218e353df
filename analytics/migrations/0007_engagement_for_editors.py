"""The engagement dashboard for the Editors and Moderators groups (the demo's channel managers are Editors), like
content performance (0004) and the scorecards (0005): the hub's analytics are for those who publish to partners
and look after them."""

from django.db import migrations

GROUPS = ("Editors", "Moderators")


def forwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permission = Permission.objects.filter(content_type__app_label="analytics", codename="view_engagement").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permission = Permission.objects.filter(content_type__app_label="analytics", codename="view_engagement").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_partner_window_activity"),
        ("cms", "0002_marketing_review_workflow"),  # the Editors and Moderators groups
    ]
    operations = [migrations.RunPython(forwards, backwards)]
