"""The editor of gated content as an editor and a moderator read it.

* For an editor who may not publish, "Submit to Marketing review" is the main button, not "Save draft".
* A moderator's approval of an item that goes live later says "Approve and schedule", not "… and Publish".
* After a workflow action the message says what happened: approved and published, approved and scheduled
  (with the date), approved and waiting for the next task, or changes requested; never just "updated".
* An approval or a change request that edits nothing leaves no "Edited" entry before it in the history.
* A new item is not saved until its editor saves it: no autosave on the add form, which left a draft (and
  copies of its file) behind when an editor abandoned the form; once saved, the edit view autosaves.
* An archived item's fields are read-only (restoring it is the only action offered, ``cms.wagtail_hooks``).
"""

from functools import partial

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from wagtail.admin.utils import get_latest_str
from wagtail.snippets.action_menu import PublishMenuItem, SubmitForModerationMenuItem
from wagtail.snippets.views.snippets import CreateView, EditView

from .models import GatedContent

SUBMIT = SubmitForModerationMenuItem.name
PUBLISH = PublishMenuItem.name


def is_archived_in_db(item) -> bool:
    """The edit view works on the latest revision, whose copy of ``archived_at`` may be stale: ask the row."""
    return type(item).objects.filter(pk=item.pk, archived_at__isnull=False).exists()


def put_submit_first(menu_items, request, context) -> None:
    """``construct_snippet_action_menu``: submitting is an editor's main action when they may not publish."""
    if not issubclass(context.get("model") or object, GatedContent):
        return
    names = [item.name for item in menu_items]
    if SUBMIT in names and PUBLISH not in names:
        menu_items.insert(0, menu_items.pop(names.index(SUBMIT)))


def name_a_scheduling_approval(menu_items, request, context) -> None:
    """``construct_snippet_action_menu``: the last approval of an item with a future go-live schedules it."""
    instance = context.get("instance")
    go_live_at = getattr(instance, "go_live_at", None)
    if not isinstance(instance, GatedContent) or not go_live_at or go_live_at <= timezone.now():
        return
    for item in menu_items:
        if item.name == "approve" and str(item.label).endswith(" and Publish"):
            item.label = f"{str(item.label).removesuffix(' and Publish')} and schedule"


def when(moment) -> str:
    """``1 December 2026, 14:43 (CET)`` in the time zone the admin shows the user (Wagtail activates it)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j F Y, H:i')} ({local.tzname()})"


class GatedContentCreateView(CreateView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False


class GatedContentEditView(EditView):
    @property
    def action_class(self):
        edit = super().action_class
        if self.action == "workflow-action" and not self.form.has_changed():
            # Wagtail saves a revision before every workflow action; it logs it only when something changed.
            return partial(edit, log_action=None)
        return edit

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if is_archived_in_db(self.object):
            for field in form.fields.values():
                field.disabled = True
        return form

    def get_success_message(self, instance=None):
        if self.action == "workflow-action":
            return self.workflow_action_message()
        return super().get_success_message(instance)

    def workflow_action_message(self) -> str:
        item = type(self.object).objects.get(pk=self.object.pk)  # as the task left it
        name = f"{capfirst(item._meta.verbose_name)} '{get_latest_str(item)}'"
        if self.workflow_action == "reject":
            return f"Changes requested on {name}: it is back with its editor as a draft."
        if self.workflow_action != "approve":
            return super().get_success_message(item)
        state = item.current_workflow_state
        if state is not None and state.status == state.STATUS_IN_PROGRESS:
            return f"{name} approved; it now waits for “{state.current_task_state.task}”."
        scheduled = item.scheduled_revision
        if scheduled is not None and scheduled.approved_go_live_at:
            return f"{name} approved and scheduled: it goes live on {when(scheduled.approved_go_live_at)}."
        if item.live:
            return f"{name} approved and published."
        return f"{name} approved."
