"""Webhooks (``cms.webhooks``) under Settings: the endpoints front ends are told through, and the delivery log."""

import json

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from cms.models import WebhookDelivery, WebhookEndpoint
from core.admin.viewsets import InspectOnlyViewSet


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


class WebhookDeliveryViewSet(InspectOnlyViewSet):
    """The delivery log, read-only: what was sent where, how many attempts, and how the last one went."""

    model = WebhookDelivery
    name = "webhook_deliveries"
    url_prefix = "webhooks/deliveries"
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    add_to_reference_index = False
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
