"""Admin views of the content lifecycle: archive and restore one item, after a confirmation.

The writes are ``cms.gating.lifecycle.content_archive`` / ``content_restore``; these views
only ask, check and report. Both take the item's publish permission. The checks that
are the admin's own (an item locked by someone else, an item in a moderation
workflow) are in ``archive_refusal`` and ``restore_refusal``, shared with the bulk
actions.
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.utils import get_latest_str, get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.locks import BasicLock

from .gating.lifecycle import LifecycleError, content_archive, content_restore


def lock_refusal(item, user) -> str | None:
    """Why ``user`` may not change ``item`` now that someone else has locked it, or ``None``."""
    lock = item.get_lock()
    if isinstance(lock, BasicLock) and lock.for_user(user):
        return f"“{item}” is locked by another user; it can be changed once it is unlocked."
    return None


def archive_refusal(item, user) -> str | None:
    """Why ``user`` may not archive ``item`` now, or ``None`` if they may."""
    if item.is_archived:
        return f"“{item}” is already archived."
    if item.workflow_in_progress:
        # Approving the workflow later would publish the item again.
        return f"“{item}” is in a moderation workflow; cancel the workflow before archiving it."
    return lock_refusal(item, user)


def restore_refusal(item, user) -> str | None:
    """Why ``user`` may not restore ``item`` now, or ``None`` if they may."""
    if not item.is_archived:
        return f"“{item}” is not archived."
    return lock_refusal(item, user)


class ContentLifecycleView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET) and run (POST) one lifecycle transition of one item, then return to the listing."""

    model = None
    index_url_name = None
    edit_url_name = None
    action_url_name = None
    header_icon = ""
    permission_required = "publish"  # taking content down or back, like Wagtail's unpublish
    template_name = "cms/admin/confirm_lifecycle.html"

    # Set by subclasses.
    page_title = ""
    confirmation_text = ""
    explanation = ""
    confirm_label = ""
    cancel_label = ""
    success_message = ""

    def setup(self, request, pk, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(self.model, pk=unquote(str(pk)))

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission_for_instance(self.permission_required, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refusal(self) -> str | None:
        raise NotImplementedError

    def perform(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.next_url)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            if refusal := self.refusal():
                raise LifecycleError(refusal)
            self.perform()
        except LifecycleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                self.success_message % {"object": self.object},
                buttons=[messages.button(self.edit_url, "Edit")] if self.edit_url else None,
            )
        return redirect(self.next_url)

    @cached_property
    def next_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    @cached_property
    def edit_url(self):
        if self.edit_url_name:
            return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_page_subtitle(self):
        return get_latest_str(self.object)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        verbose_name = self.model._meta.verbose_name
        context.update(
            {
                "object": self.object,
                "model_opts": self.model._meta,
                "confirmation_text": self.confirmation_text % {"model_name": verbose_name},
                "explanation": self.explanation,
                "confirm_label": self.confirm_label,
                "cancel_label": self.cancel_label,
                "action_url": reverse(self.action_url_name, args=(quote(self.object.pk),)),
                "next_url": self.next_url,
                "lifecycle_state": capfirst(self.object.lifecycle_state),
            }
        )
        return context


class ArchiveView(ContentLifecycleView):
    page_title = "Archive"
    confirmation_text = "Are you sure you want to archive this %(model_name)s?"
    explanation = (
        "Partners no longer see it anywhere: it is unpublished and any scheduled publishing is cancelled. "
        "Its revisions and history are kept, and it can be restored as a draft."
    )
    confirm_label = "Yes, archive it"
    cancel_label = "No, don't archive"
    success_message = "“%(object)s” archived."

    def refusal(self):
        return archive_refusal(self.object, self.request.user)

    def perform(self):
        content_archive(item=self.object, user=self.request.user)


class RestoreView(ContentLifecycleView):
    page_title = "Restore"
    confirmation_text = "Are you sure you want to restore this %(model_name)s?"
    explanation = (
        "It comes back as a draft: partners see it again only once it is published. "
        "An expiry date in the past is cleared."
    )
    confirm_label = "Yes, restore it"
    cancel_label = "No, don't restore"
    success_message = "“%(object)s” restored as a draft."

    def refusal(self):
        return restore_refusal(self.object, self.request.user)

    def perform(self):
        content_restore(item=self.object, user=self.request.user)
