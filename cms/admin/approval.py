"""A moderator's approval that ``Asset.publish`` refuses comes back to the asset with the reason.

``Asset.publish`` refuses a revision whose file waits for its virus scan or is infected
(:class:`cms.models.content.FileNotCleared`, a ``PermissionDenied``). The editor's own
"Publish" is answered by a ``before_publish`` hook; an "Approve" in the Marketing review
workflow (the edit view's action menu, or the workflow action URL behind the dashboard's
and the modal's buttons) reaches the model directly, and Wagtail would turn the refusal
into "Sorry, you do not have permission to access this area." These views say why instead.
Wagtail approves in a transaction, so the workflow stays in review and nothing goes live.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from wagtail.snippets.views.snippets import WorkflowActionView

from cms.gating.editing import GatedContentEditView
from cms.models.content import FileNotCleared


def refused_message(error: FileNotCleared) -> str:
    return f"Nothing was approved or published. {error}"


class AssetEditView(GatedContentEditView):
    def workflow_action_action(self):
        try:
            with transaction.atomic():
                return super().workflow_action_action()
        except FileNotCleared as error:
            messages.error(self.request, refused_message(error))
            return redirect(self.get_edit_url())


class AssetWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except FileNotCleared as error:
            messages.error(request, refused_message(error))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                # Wagtail's workflow modal follows a "success" step's redirect, where the message shows.
                return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
            return redirect(self.redirect_url)
