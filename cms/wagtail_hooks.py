"""Wagtail admin for content: assets, programs, bulletins and their reference data.

Everything sits in one "Content" menu group of snippet viewsets. The three kinds
of gated content share one listing (title, audience tier, lifecycle state, owner,
dates), filters (``cms.filters``), CSV/XLSX export, and the archive lifecycle on
top of Wagtail's drafts, workflows and scheduling:

* archive / restore one item from its listing row or its edit view, after a
  confirmation (``cms.views``; URL names ``archive`` / ``restore`` in each
  viewset's namespace, e.g. ``wagtailsnippets_cms_asset:archive``);
* archive, restore or change the owner of many items with bulk actions;
* archiving and restoring take the publish permission, like Wagtail's unpublish: users
  without it (Wagtail's Editors) are not offered them, one item or in bulk;
* an archived item is read-only here until it is restored, so that no draft or
  publish can bring it back behind the archive's back.

Every write goes through ``cms.services`` (or, for the owner, saves the field and
logs it), so it is in each item's history.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import classproperty
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.utils import get_latest_str, get_user_display_name
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Revision, TranslatableMixin, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .filters import AssetFilterSet, BulletinFilterSet, ProgramFilterSet
from .gating.filters import staff_users
from .gating.lifecycle import (
    ARCHIVE_ACTION,
    AUTO_ARCHIVE_ACTION,
    RESTORE_ACTION,
    LifecycleError,
    content_archive,
    content_restore,
    user_can_publish,
)
from .gating.models import GatedContent, gated_content_models
from .models import Asset, Bulletin, Language, Product, Program
from .views import ArchiveView, RestoreView, archive_refusal, lock_refusal, restore_refusal

CHANGE_OWNER_ACTION = "partnerhub.change_owner"


def _is_archived_in_db(item) -> bool:
    """The edit view works on the latest revision, whose copy of ``archived_at`` may be stale: ask the row."""
    return type(item).objects.filter(pk=item.pk, archived_at__isnull=False).exists()


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


class AbsoluteDateColumn(Column):
    """A date (or date and time) as such: Wagtail's ``DateColumn`` says "just now" for every future date."""

    cell_template_name = "cms/admin/tables/date_cell.html"

    def __init__(self, name, date_format="N j, Y", **kwargs):
        super().__init__(name, **kwargs)
        self.date_format = date_format


def gated_content_columns():
    """The listing columns after the title (and the asset type), shared by assets, programs and bulletins."""
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
    """Listing, filters, export and the archive / restore views shared by the three kinds of content."""

    index_view_class = GatedContentIndexView
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


class AssetViewSet(GatedContentViewSet):
    model = Asset
    icon = "doc-full"
    filterset_class = AssetFilterSet
    list_display = ["title", "asset_type", *gated_content_columns()]
    list_export = ["title", "get_asset_type_display", *GatedContentViewSet.list_export[1:]]
    export_filename = "assets"


class ProgramViewSet(GatedContentViewSet):
    model = Program
    icon = "tasks"
    filterset_class = ProgramFilterSet
    list_display = ["title", *gated_content_columns()]
    export_filename = "programs"


class BulletinViewSet(GatedContentViewSet):
    model = Bulletin
    icon = "mail"
    filterset_class = BulletinFilterSet
    list_display = ["title", *gated_content_columns()]
    export_filename = "bulletins"


class KeyedSnippetViewSet(SnippetViewSet):
    """Reference data of content (``KeyedModel``): listed and searched by name and key."""

    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    search_backend_name = None
    ordering = "name"


class ProductViewSet(KeyedSnippetViewSet):
    model = Product
    icon = "cogs"


class LanguageViewSet(KeyedSnippetViewSet):
    model = Language
    icon = "comment"


class ContentViewSetGroup(SnippetViewSetGroup):
    menu_label = "Content"
    menu_icon = "doc-full-inverse"
    menu_order = 150  # After Pages (100), before Partners (200).
    items = (AssetViewSet, ProgramViewSet, BulletinViewSet, ProductViewSet, LanguageViewSet)


register_snippet(ContentViewSetGroup)


# --- archive / restore of one item: listing rows and the edit view ----------------------------


def _lifecycle_url(item, view_name, next_url=None) -> str:
    url = reverse(item.snippet_viewset.get_url_name(view_name), args=(quote(item.pk),))
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@hooks.register("register_snippet_listing_buttons")
def content_lifecycle_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, GatedContent) or not user_can_publish(user=user, item=snippet):
        return []
    if snippet.is_archived:
        return [MenuItem("Restore", _lifecycle_url(snippet, "restore", next_url), icon_name="rotate", priority=25)]
    return [MenuItem("Archive", _lifecycle_url(snippet, "archive", next_url), icon_name="no-view", priority=25)]


class LifecycleMenuItem(ActionMenuItem):
    """A link in the edit view's action menu to the archive or restore confirmation."""

    view_name = ""
    shown_when_archived = False

    def is_shown(self, context):
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        instance = context["instance"]
        if "_archived_in_db" not in context:  # the context is shared by the menu's items: ask once
            context["_archived_in_db"] = _is_archived_in_db(instance)
        if context["_archived_in_db"] != self.shown_when_archived:
            return False
        return user_can_publish(user=context["request"].user, item=instance)

    def get_url(self, parent_context):
        return _lifecycle_url(parent_context["instance"], self.view_name)


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


@hooks.register("register_snippet_action_menu_item")
def register_archive_menu_item(model):
    if issubclass(model, GatedContent):
        return ArchiveMenuItem(order=70)
    return None


@hooks.register("register_snippet_action_menu_item")
def register_restore_menu_item(model):
    if issubclass(model, GatedContent):
        return RestoreMenuItem(order=5)
    return None


@hooks.register("construct_snippet_action_menu")
def only_restore_an_archived_item(menu_items, request, context):
    """An archived item offers Restore only: saving or publishing it would bypass the restore."""
    # The Restore item is only shown (by its is_shown) in the edit view of an archived item.
    if any(isinstance(item, RestoreMenuItem) for item in menu_items):
        menu_items[:] = [item for item in menu_items if isinstance(item, RestoreMenuItem)]


@hooks.register("before_edit_snippet")
def refuse_to_edit_an_archived_item(request, instance):
    if not isinstance(instance, GatedContent) or not _is_archived_in_db(instance):
        return None
    if request.method == "POST":
        messages.error(request, f"“{instance}” is archived: restore it before you change it.")
        return redirect(instance.snippet_viewset.get_url_name("edit"), quote(instance.pk))
    messages.warning(
        request, f"This {instance._meta.verbose_name} is archived: partners don't see it. Restore it to change it."
    )
    return None


@hooks.register("before_delete_snippet")
def refuse_to_delete_a_live_item_without_publish_permission(request, instances):
    """Deleting a live item takes it down, as unpublishing does: it takes the publish permission (one or in bulk)."""
    for item in instances:
        if isinstance(item, GatedContent) and item.live and not user_can_publish(user=request.user, item=item):
            messages.error(
                request,
                f"You may not delete “{item}”: it is live, and taking it down takes the permission to publish "
                f"{item._meta.verbose_name_plural}.",
            )
            return redirect(item.snippet_viewset.get_url_name("list"))
    return None


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


def change_owner(*, item, owner, user=None):
    """Give ``item`` a new owner, also in the draft or scheduled revision that would be published next."""
    previous = item.owner
    item.owner = owner
    item.save(update_fields=["owner", "updated_at"])
    pending = Q(approved_go_live_at__isnull=False)
    if item.has_unpublished_changes and item.latest_revision_id:
        pending |= Q(pk=item.latest_revision_id)
    for revision in item.revisions.filter(pending):
        revision.content["owner"] = owner.pk
        revision.save(update_fields=["content"])
    log(
        item,
        CHANGE_OWNER_ACTION,
        user=user,
        data={
            "owner": {"id": owner.pk, "title": get_user_display_name(owner)},
            "previous_owner": {"id": previous.pk, "title": get_user_display_name(previous)} if previous else None,
        },
    )


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
        with transaction.atomic():
            change_owner(item=item, owner=owner, user=self.request.user)


for _bulk_action in (ArchiveBulkAction, RestoreBulkAction, ChangeOwnerBulkAction):
    hooks.register("register_bulk_action", _bulk_action)


# --- audit log -------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_content_log_actions(actions):
    actions.register_action(ARCHIVE_ACTION, "Archive", "Archived")
    actions.register_action(RESTORE_ACTION, "Restore", "Restored as a draft")
    actions.register_action(AUTO_ARCHIVE_ACTION, "Archive after expiry", "Archived automatically after expiry")

    @actions.register_action(CHANGE_OWNER_ACTION)
    class ChangeOwnerFormatter(LogFormatter):
        label = "Change owner"

        def format_message(self, log_entry):
            try:
                return f"Owner changed to {log_entry.data['owner']['title']}"
            except (KeyError, TypeError):
                return "Owner changed"


# --- content reports and the dashboard's content health panel (``cms.reports``) ----------------

from django.urls import include  # noqa: E402

from .reports import ContentHealthPanel, report_menu_items  # noqa: E402
from .reports import urlpatterns as report_urlpatterns  # noqa: E402


@hooks.register("register_admin_urls")
def register_content_report_urls():
    # /admin/reports/content/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/content/", include((report_urlpatterns, "cms_reports"), namespace="cms_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("construct_homepage_panels")
def add_content_health_panel(request, panels):
    panel = ContentHealthPanel(request)
    if panel.is_shown():
        panels.append(panel)


# --- webhooks (``cms.webhooks``): endpoints and their delivery log, under Settings ---------------

import json  # noqa: E402

from django.utils.html import format_html  # noqa: E402

from wagtail.admin.admin_url_finder import ModelAdminURLFinder  # noqa: E402
from wagtail.admin.panels import FieldPanel, ObjectList  # noqa: E402
from wagtail.admin.views import generic  # noqa: E402
from wagtail.admin.viewsets.model import ModelViewSet  # noqa: E402

from .models import WebhookDelivery, WebhookEndpoint  # noqa: E402


class WebhookEndpointForm(WagtailAdminModelForm):
    """The endpoint form: events as checkboxes (stored as a JSON list); the model validates the URL."""

    events = forms.MultipleChoiceField(
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Events to send; none selected means all.",
    )


def _events_label(endpoint) -> str:
    if not endpoint.events:
        return "All"
    labels = dict(WebhookEndpoint.Event.choices)
    return ", ".join(str(labels.get(event, event)) for event in endpoint.events)


def _deliveries_url(endpoint=None) -> str:
    url = reverse("webhook_deliveries:index")
    return f"{url}?{urlencode({'endpoint': endpoint.pk})}" if endpoint else url


class WebhookEndpointIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem("Deliveries", _deliveries_url(instance), icon_name="list-ul", priority=25),
        ]


class WebhookEndpointViewSet(ModelViewSet):
    """Front ends told about published, changed, unpublished, expired, archived and restored content."""

    model = WebhookEndpoint
    name = "webhooks"
    icon = "link-external"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False  # a copy would share the secret
    index_view_class = WebhookEndpointIndexView
    ordering = "name"
    list_display = [
        "name",
        "url",
        Column("events", label="Events", accessor=_events_label),
        StatusTagColumn(
            "is_active",
            label="Status",
            accessor=lambda endpoint: "Active" if endpoint.is_active else "Inactive",
            primary=lambda endpoint: endpoint.is_active,
            sort_key="is_active",
        ),
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("url"), FieldPanel("secret"), FieldPanel("events"), FieldPanel("is_active")],
        base_form_class=WebhookEndpointForm,
    )


def _delivery_item(delivery) -> str:
    payload = delivery.payload or {}
    return f"{capfirst(payload.get('kind', ''))} {payload.get('id', '')}: {payload.get('title', '')}".strip(": ")


def _short_error(delivery) -> str:
    error = delivery.last_error
    return error if len(error) <= 80 else error[:79] + "…"


class WebhookDeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")


class WebhookDeliveryInspectView(generic.InspectView):
    def get_payload_display_value(self):
        # As the receiver reads it (it also gets the delivery's id, added when it is sent).
        return format_html("<pre>{}</pre>", json.dumps(self.object.payload, indent=2, sort_keys=True))


class WebhookDeliveryViewSet(ModelViewSet):
    """The delivery log, read-only: what was sent where, how many attempts, and how the last one went."""

    model = WebhookDelivery
    name = "webhook_deliveries"
    url_prefix = "webhooks/deliveries"
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = WebhookDeliveryIndexView
    inspect_view_class = WebhookDeliveryInspectView
    ordering = "-created_at"
    list_per_page = 50
    list_display = [
        "event",
        Column("item", label="Item", accessor=_delivery_item),
        "endpoint",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda delivery: delivery.status == WebhookDelivery.Status.SUCCEEDED,
            sort_key="status",
        ),
        Column("attempts", label="Attempts", sort_key="attempts"),
        Column("last_status_code", label="Last status code"),
        Column("last_error", label="Error", accessor=_short_error),
        DateColumn("created_at", label="Created", sort_key="created_at"),
        DateColumn("delivered_at", label="Delivered", sort_key="delivered_at"),
    ]
    list_filter = ["status", "event", "endpoint"]
    inspect_view_fields = [
        "endpoint",
        "event",
        "payload",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        # Only the listing and the inspect view exist: no add, edit, delete, history or usage links.
        return {
            **super().get_common_view_kwargs(**kwargs),
            **dict.fromkeys(
                ["add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"]
            ),
        }

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_webhookdelivery")

    @property
    def url_finder_class(self):
        # Where Wagtail links to a delivery (e.g. from search or logs), link to its inspect view.
        return type("DeliveryURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]
