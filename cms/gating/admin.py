"""The admin of gated content, which every app with a kind of gated content builds on.

* ``GatedContentViewSet``: a snippet viewset with the shared listing (title, audience
  tier, lifecycle state, owner, dates: ``gated_content_columns``), export, and the
  archive / restore confirmations (``cms.views``; URL names ``archive`` / ``restore`` in
  each viewset's namespace, e.g. ``wagtailsnippets_cms_asset:archive``);
* the lifecycle's links in a listing row and the edit view's action menu
  (``lifecycle_listing_buttons``, ``ArchiveMenuItem``, ``RestoreMenuItem``);
* bulk actions that skip, and report, the items they do not apply to
  (``GatedContentBulkAction``): archive, restore, change the owner.

Archiving and restoring take the publish permission, like Wagtail's unpublish. Every
write goes through a service (``cms.services``, ``cms.gating.ownership``), so it is in
each item's history. Importing this module registers nothing: ``cms.wagtail_hooks`` does.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.functional import classproperty
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import ngettext

from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.utils import get_latest_str, get_user_display_name
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import Revision, TranslatableMixin, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from cms.gating.filters import staff_users
from cms.gating.lifecycle import LifecycleError, content_archive, content_restore, user_can_publish
from cms.gating.models import GatedContent, gated_content_models
from cms.views import ArchiveView, RestoreView, archive_refusal, lock_refusal, restore_refusal
from core.reports import AbsoluteDateColumn

from .editing import GatedContentCreateView, GatedContentEditView, is_archived_in_db
from .ownership import content_change_owner

# --- listings --------------------------------------------------------------------------------


def lifecycle_state(item) -> str:
    """``item.lifecycle_state``, using what ``GatedContentIndexView`` prefetched for the page of results."""
    if "scheduled_revision" not in item.__dict__ and hasattr(item, "_scheduled_revisions"):
        # DraftStateMixin.scheduled_revision is a cached property: fill it from the prefetch.
        item.scheduled_revision = item._scheduled_revisions[0] if item._scheduled_revisions else None
    return item.lifecycle_state


def _tier_label(tier) -> str:
    return tier.name if tier else "Any"


def _owner_label(owner) -> str:
    return get_user_display_name(owner) if owner else ""


def gated_content_columns():
    """The listing columns after the title (and the asset type), shared by every kind of gated content."""
    return [
        Column(
            "min_tier",
            label="Minimum tier",
            accessor=lambda item: _tier_label(item.min_tier),
            sort_key="min_tier__rank",
        ),
        StatusTagColumn(
            "lifecycle_state",
            label="State",
            accessor=lambda item: capfirst(lifecycle_state(item)),
            primary=lambda item: lifecycle_state(item) == "live",
        ),
        UserColumn("owner", label="Owner", sort_key="owner__first_name"),
        AbsoluteDateColumn("expire_at", label="Expires", date_format="N j, Y, H:i", sort_key="expire_at"),
        AbsoluteDateColumn("review_by", label="Review by", sort_key="review_by"),
        DateColumn("updated_at", label="Updated", sort_key="updated_at"),
    ]


class GatedContentIndexView(IndexView):
    """The listing of one kind of gated content, with what its columns need loaded for the whole page."""

    custom_field_preprocess = {
        "min_tier": {SpreadsheetExportMixin.FORMAT_CSV: _tier_label, SpreadsheetExportMixin.FORMAT_XLSX: _tier_label},
        "owner": {SpreadsheetExportMixin.FORMAT_CSV: _owner_label, SpreadsheetExportMixin.FORMAT_XLSX: _owner_label},
    }

    def get_base_queryset(self):
        related = ["owner", "owner__wagtail_userprofile", "min_tier"]
        if issubclass(self.model, TranslatableMixin):
            related.append("locale")  # the locale column of translatable content
        return (
            super()
            .get_base_queryset()
            .select_related(*related)
            .prefetch_related(
                Prefetch(
                    "revisions",
                    queryset=Revision.objects.filter(approved_go_live_at__isnull=False),
                    to_attr="_scheduled_revisions",
                ),
                # Read by WorkflowMixin.workflow_in_progress instead of a query per item.
                Prefetch(
                    "workflow_states",
                    queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                    to_attr="_current_workflow_states",
                ),
            )
        )

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # Like Wagtail's own "__str__" column: the title of the latest draft.
        kwargs.setdefault("accessor", get_latest_str)
        return super()._get_title_column(field_name, column_class, **kwargs)

    def to_row_dict(self, item):
        lifecycle_state(item)  # fill the prefetched schedule in before the export reads the property
        return super().to_row_dict(item)


class GatedContentViewSet(SnippetViewSet):
    """Listing, filters, export and the archive / restore views shared by every kind of gated content."""

    index_view_class = GatedContentIndexView
    add_view_class = GatedContentCreateView  # no autosave before the editor first saves
    edit_view_class = GatedContentEditView
    index_template_name = "cms/admin/gated_content_index.html"  # the bulk actions the user may use
    archive_view_class = ArchiveView
    restore_view_class = RestoreView
    ordering = "-updated_at"
    list_per_page = 50
    search_fields = ["title"]
    search_backend_name = None  # search titles in the database, where the state filter combines with it
    list_export = ["title", "min_tier", "lifecycle_state", "owner", "expire_at", "review_by", "updated_at"]
    export_headings = {
        "get_asset_type_display": "Type",
        "min_tier": "Minimum tier",
        "lifecycle_state": "State",
        "expire_at": "Expires",
        "review_by": "Review by",
        "updated_at": "Updated",
    }

    @property
    def archive_view(self):
        return self.construct_view(self.archive_view_class, action_url_name=self.get_url_name("archive"))

    @property
    def restore_view(self):
        return self.construct_view(self.restore_view_class, action_url_name=self.get_url_name("restore"))

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            *super().get_urlpatterns(),
            path(f"archive/<{conv}:pk>/", self.archive_view, name="archive"),
            path(f"restore/<{conv}:pk>/", self.restore_view, name="restore"),
        ]


# --- archive / restore of one item: listing rows and the edit view ----------------------------


def lifecycle_url(item, view_name, next_url=None) -> str:
    """The URL of ``item``'s ``archive`` or ``restore`` confirmation, returning to ``next_url``."""
    url = reverse(item.snippet_viewset.get_url_name(view_name), args=(quote(item.pk),))
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def lifecycle_listing_buttons(snippet, user, next_url=None) -> list:
    """Archive (or Restore, if archived) in a listing row, for users who may publish the item."""
    if not isinstance(snippet, GatedContent) or not user_can_publish(user=user, item=snippet):
        return []
    if snippet.is_archived:
        return [MenuItem("Restore", lifecycle_url(snippet, "restore", next_url), icon_name="rotate", priority=25)]
    return [MenuItem("Archive", lifecycle_url(snippet, "archive", next_url), icon_name="no-view", priority=25)]


class LifecycleMenuItem(ActionMenuItem):
    """A link in the edit view's action menu to the archive or restore confirmation."""

    view_name = ""
    shown_when_archived = False

    def is_shown(self, context):
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        instance = context["instance"]
        if "_archived_in_db" not in context:  # the context is shared by the menu's items: ask once
            context["_archived_in_db"] = is_archived_in_db(instance)
        if context["_archived_in_db"] != self.shown_when_archived:
            return False
        return user_can_publish(user=context["request"].user, item=instance)

    def get_url(self, parent_context):
        return lifecycle_url(parent_context["instance"], self.view_name)


class ArchiveMenuItem(LifecycleMenuItem):
    name = "action-archive"
    label = "Archive"
    icon_name = "no-view"
    view_name = "archive"


class RestoreMenuItem(LifecycleMenuItem):
    name = "action-restore"
    label = "Restore"
    icon_name = "rotate"
    view_name = "restore"
    shown_when_archived = True


# --- bulk actions ----------------------------------------------------------------------------


class GatedContentBulkAction(SnippetBulkAction):
    """A bulk action on gated content that skips, and reports, items it does not apply to.

    The listing offers it only to users with ``permission`` (``is_shown_to``); items they
    lack it for are listed as such and left alone.
    """

    permission = "change"
    no_access_text = "You don't have permission to change these %(model_name)s."
    template_name = "cms/admin/bulk_actions/confirm_bulk_action.html"
    confirmation_text = ""
    skipped_text = "These are skipped:"
    confirm_label = ""
    cancel_label = "No, go back"
    done_message = ""  # e.g. "%(count)d %(model_name)s archived."

    @classproperty
    def models(cls):
        return list(gated_content_models())

    @classmethod
    def is_shown_to(cls, user, model) -> bool:
        return policy_registry.get_by_type(model).user_has_permission(user, cls.permission)

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, self.permission, snippet)

    def refusal(self, item) -> str | None:
        """Why this action does not apply to ``item`` (it is then skipped), or ``None``."""
        return None

    def apply(self, item):
        """Apply the action to one item; raise ``LifecycleError`` to skip it."""
        raise NotImplementedError

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" sends the listing's query string along: honour its filters and search.
        queryset = self.model.objects.all()
        filterset_class = self.model.snippet_viewset.filterset_class
        if filterset_class is not None:
            filterset = filterset_class(self.request.GET, queryset=queryset, request=self.request)
            if filterset.is_valid():
                queryset = filterset.qs
        if query := self.request.GET.get("q"):
            queryset = queryset.filter(title__icontains=query)
        return queryset.values_list("pk", flat=True)

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        actionable, skipped = [], []
        for item in objects:
            if reason := self.refusal(item):
                skipped.append({"item": item, "reason": reason})
            else:
                actionable.append(item)
        extra["items_skipped"] = skipped
        self.skipped = skipped
        return actionable, extra

    def object_context(self, snippet):
        return {**super().object_context(snippet), "lifecycle_state": capfirst(lifecycle_state(snippet))}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_title": self.display_name,
                "confirmation_text": self.confirmation_text % {"model_name": self.model._meta.verbose_name_plural},
                "no_access_text": self.no_access_text % {"model_name": self.model._meta.verbose_name_plural},
                "skipped_text": self.skipped_text,
                "confirm_label": self.confirm_label,
                "cancel_label": self.cancel_label,
            }
        )
        return context

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        action = kwargs["self"]
        done = 0
        for item in objects:
            try:
                action.apply(item)
            except LifecycleError as error:
                action.skipped.append({"item": item, "reason": str(error)})
            except ValidationError as error:
                action.skipped.append({"item": item, "reason": f"“{item}”: {' '.join(error.messages)}"})
            else:
                done += 1
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if self.skipped:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d item skipped: %(reasons)s", "%(count)d items skipped: %(reasons)s", len(self.skipped)
                )
                % {"count": len(self.skipped), "reasons": " ".join(skipped["reason"] for skipped in self.skipped)},
            )
        if not num_parent_objects:
            return None
        opts = self.model._meta
        model_name = opts.verbose_name if num_parent_objects == 1 else opts.verbose_name_plural
        return self.done_message % {"count": num_parent_objects, "model_name": model_name}


class ArchiveBulkAction(GatedContentBulkAction):
    display_name = "Archive"
    action_type = "archive"
    aria_label = "Archive selected items"
    action_priority = 40
    permission = "publish"
    no_access_text = "You may not archive these %(model_name)s: it takes the permission to publish them."
    confirmation_text = "Archive these %(model_name)s? Partners no longer see them; they can be restored as drafts."
    confirm_label = "Yes, archive"
    done_message = "%(count)d %(model_name)s archived."

    def refusal(self, item):
        return archive_refusal(item, self.request.user)

    def apply(self, item):
        content_archive(item=item, user=self.request.user)


class RestoreBulkAction(GatedContentBulkAction):
    display_name = "Restore"
    action_type = "restore"
    aria_label = "Restore selected archived items"
    action_priority = 41
    permission = "publish"
    no_access_text = "You may not restore these %(model_name)s: it takes the permission to publish them."
    confirmation_text = "Restore these %(model_name)s as drafts? Partners see them again once they are published."
    confirm_label = "Yes, restore"
    done_message = "%(count)d %(model_name)s restored as drafts."

    def refusal(self, item):
        return restore_refusal(item, self.request.user)

    def apply(self, item):
        content_restore(item=item, user=self.request.user)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return get_user_display_name(obj)


class ChangeOwnerForm(forms.Form):
    owner = OwnerChoiceField(
        queryset=get_user_model().objects.none(),
        label="New owner",
        help_text="The editor responsible for keeping these current.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()


class ChangeOwnerBulkAction(GatedContentBulkAction):
    display_name = "Change owner"
    action_type = "change_owner"
    aria_label = "Change the owner of selected items"
    action_priority = 42
    form_class = ChangeOwnerForm
    confirmation_text = "Give these %(model_name)s a new owner:"
    confirm_label = "Change owner"
    done_message = "%(count)d %(model_name)s have a new owner."

    def refusal(self, item):
        return lock_refusal(item, self.request.user)

    def apply(self, item):
        owner = self.cleaned_form.cleaned_data["owner"]
        if item.owner_id == owner.pk:
            raise LifecycleError(f"“{item}” is already owned by {get_user_display_name(owner)}.")
        content_change_owner(item=item, owner=owner, user=self.request.user)
