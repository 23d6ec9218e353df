"""The four standard partner roles, so manifests and the admin can use them from the start."""

from django.db import migrations

DEFAULT_ROLES = [("sales", "Sales"), ("marketing", "Marketing"), ("technical", "Technical"), ("admin", "Partner admin")]


def create_roles(apps, schema_editor):
    Role = apps.get_model("partners", "Role")
    for key, name in DEFAULT_ROLES:
        Role.objects.get_or_create(key=key, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
