"""What the Editors and Moderators groups get of analytics beyond content performance (0004) and the scorecards
(0005): the engagement dashboard (both groups), and setting the scorecards' weights (Editors: the demo's channel
managers are Editors; Settings → Scorecard weights)."""

from django.db import migrations

GRANTS = {
    ("dailypartneractivity", "view_engagement", "Can view the engagement dashboard"): ("Editors", "Moderators"),
    ("scorecardweights", "change_scorecardweights", "Can change scorecard weights"): ("Editors",),
}


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for (model, codename, name), groups in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for group in Group.objects.filter(name__in=groups):
            group.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for (_model, codename, _name), groups in GRANTS.items():
        for permission in Permission.objects.filter(content_type__app_label="analytics", codename=codename):
            for group in Group.objects.filter(name__in=groups):
                group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_partner_window_activity"),
        ("cms", "0002_marketing_review_workflow"),  # the Editors and Moderators groups
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
