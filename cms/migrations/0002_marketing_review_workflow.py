"""The "Marketing review" moderation workflow on by default for assets, programs and bulletins,
and the permissions of Wagtail's Editors (draft and submit) and Moderators (approve and publish)."""

from django.db import migrations

CONTENT_MODELS = ("asset", "program", "bulletin")
REFERENCE_MODELS = ("product", "language")


def create_permissions_now(apps):
    # Permissions are normally created after migrations; this migration assigns them, so create them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    create_permissions_now(apps)
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    editors, _ = Group.objects.get_or_create(name="Editors")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, created = GroupApprovalTask.objects.get_or_create(
        name="Marketing approval", defaults={"content_type": task_type, "active": True}
    )
    if created:
        task.groups.set([moderators])
    workflow, created = Workflow.objects.get_or_create(name="Marketing review", defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    for model in CONTENT_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
        # Wagtail adds these for snippets after migrations; they are assigned here, so make them now.
        for action in ("publish", "lock", "unlock"):
            Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
        WorkflowContentType.objects.get_or_create(content_type=content_type, defaults={"workflow": workflow})
        permissions = Permission.objects.filter(content_type=content_type)
        editors.permissions.add(
            *permissions.filter(codename__in=[f"{a}_{model}" for a in ("add", "change", "delete", "view", "lock")])
        )
        moderators.permissions.add(
            *permissions.filter(
                codename__in=[f"{a}_{model}" for a in ("add", "change", "delete", "view", "lock", "publish", "unlock")]
            )
        )
    for model in REFERENCE_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
        permissions = Permission.objects.filter(content_type=content_type)
        for group in (editors, moderators):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_content"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
