"""Registers cms's admin with Wagtail: the "Content" menu group, the lifecycle of gated content, reports, webhooks.

The classes live in ``cms.gating.admin`` (what every kind of gated content shares: its
viewset, lifecycle buttons and menu items, bulk actions) and ``cms.admin`` (cms's own
viewsets, reports, dashboard panel and webhooks). The hooks here apply to every kind of
gated content (``GatedContent``), whichever app declares it:

* archive / restore one item from its listing row or its edit view, after a confirmation;
* archive, restore or change the owner of many items with bulk actions;
* archiving and restoring take the publish permission, like Wagtail's unpublish;
* an archived item is read-only until it is restored, so that no draft or publish can
  bring it back behind the archive's back; deleting a live item takes the publish permission;
* an asset whose file other assets have too says so on its edit view and after an upload.
"""

from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from cms.admin.dashboard import ContentHealthPanel
from cms.admin.hygiene import duplicate_notice, upload_warning
from cms.admin.reports.menu import report_menu_items
from cms.admin.reports.menu import urlpatterns as report_urlpatterns
from cms.admin.viewsets import ContentViewSetGroup
from cms.admin.webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet
from cms.gating.admin import (
    ArchiveBulkAction,
    ArchiveMenuItem,
    ChangeOwnerBulkAction,
    RestoreBulkAction,
    RestoreMenuItem,
    is_archived_in_db,
    lifecycle_listing_buttons,
)
from cms.gating.editing import name_a_scheduling_approval, put_submit_first
from cms.gating.lifecycle import (
    ARCHIVE_ACTION,
    AUTO_ARCHIVE_ACTION,
    EXPIRE_ACTION,
    RESTORE_ACTION,
    user_can_publish,
)
from cms.gating.models import GatedContent
from cms.gating.ownership import CHANGE_OWNER_ACTION
from cms.models import Asset
from cms.scanning.gate import file_refusal
from core.admin.dashboard import hide_page_site_summary

register_snippet(ContentViewSetGroup)


# --- archive / restore of one item: listing rows and the edit view ----------------------------

hooks.register("register_snippet_listing_buttons", lifecycle_listing_buttons)


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


# For an editor who may not publish, submitting is the main button; an approval that schedules says so.
hooks.register("construct_snippet_action_menu", put_submit_first)
hooks.register("construct_snippet_action_menu", name_a_scheduling_approval)


@hooks.register("construct_snippet_action_menu")
def only_restore_an_archived_item(menu_items, request, context):
    """An archived item offers Restore only (to those who may restore it; nothing to the others): saving,
    submitting or publishing it would bypass the restore."""
    instance = context.get("instance")
    if isinstance(instance, GatedContent) and instance.pk and is_archived_in_db(instance):
        menu_items[:] = [item for item in menu_items if isinstance(item, RestoreMenuItem)]


@hooks.register("before_edit_snippet")
def refuse_to_edit_an_archived_item(request, instance):
    if not isinstance(instance, GatedContent) or not is_archived_in_db(instance):
        return None
    if request.method == "POST":
        messages.error(request, f"“{instance}” is archived: restore it before you change it.")
        return redirect(instance.snippet_viewset.get_url_name("edit"), quote(instance.pk))
    who = "Restore it" if user_can_publish(user=request.user, item=instance) else "Ask a moderator to restore it"
    messages.warning(
        request, f"This {instance._meta.verbose_name} is archived: partners don't see it. {who} to change it."
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


# --- duplicate files: a notice on an asset's edit view, a warning after an upload (``cms.admin.hygiene``) -----

hooks.register("before_edit_snippet", duplicate_notice)
hooks.register("after_create_snippet", upload_warning)
hooks.register("after_edit_snippet", upload_warning)


@hooks.register("before_publish")
def refuse_to_publish_a_file_not_found_clean(request, instance):
    """Publishing (or scheduling) an asset whose file waits for its virus scan or is infected: saved, not published.

    ``Asset.publish`` refuses it anyway (the workflow, the importer, code); here the editor gets the reason.
    """
    if not isinstance(instance, Asset) or not instance.file:
        return None
    if problem := file_refusal(instance.file.name):
        messages.error(request, f"“{instance}” was saved as a draft but not published. {problem}")
        return redirect(instance.snippet_viewset.get_url_name("edit"), quote(instance.pk))
    return None


# --- bulk actions ----------------------------------------------------------------------------

for _bulk_action in (ArchiveBulkAction, RestoreBulkAction, ChangeOwnerBulkAction):
    hooks.register("register_bulk_action", _bulk_action)


# --- audit log -------------------------------------------------------------------------------


@hooks.register("register_log_actions", order=1)  # after Wagtail's own, so that its wording is replaced
def register_content_log_actions(actions):
    # The sweep records expiry as Wagtail's scheduled unpublish ("Unpublished scheduled draft"): say what it is.
    actions.register_action(EXPIRE_ACTION, "Expire", "Expired")
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


# --- content reports and the dashboard's content health panel (``cms.admin``) ------------------


@hooks.register("register_admin_urls")
def register_content_report_urls():
    # /admin/reports/content/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/content/", include((report_urlpatterns, "cms_reports"), namespace="cms_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("insert_global_admin_css")
def report_styles():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin/reports.css"))


@hooks.register("construct_homepage_panels")
def add_content_health_panel(request, panels):
    panel = ContentHealthPanel(request)
    if panel.is_shown():
        panels.append(panel)


# --- the page-site furniture of Wagtail's admin, which says nothing about a partner hub -----------------
# The summary line's figures come from the apps (``core.admin.dashboard``) and the dashboard searches assets
# (cms/templates/wagtailadmin/home.html). Superusers keep the page tree and page reports (they set up the
# portal's one home page); for everyone else "Portal home page" (``home``) stands in for the tree.

PAGE_SITE_REPORTS = {"aging-pages", "page-types-usage", "locked-pages"}

# After Wagtail's own hooks (order 0) have added their page, image and document counts.
hooks.register("construct_homepage_summary_items", hide_page_site_summary, order=1000)


@hooks.register("construct_main_menu")
def hide_the_page_tree(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "explorer"]


@hooks.register("construct_reports_menu")
def hide_page_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in PAGE_SITE_REPORTS]


# --- webhooks (``cms.webhooks``): endpoints and their delivery log, under Settings ---------------


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]
