"""The sign-in audit in the admin's Reports menu: "Sign-ins".

Every event of ``accounts.SignInEvent``, newest first: sign-ins that succeeded or failed,
sign-outs, lock-outs, SSO errors, MFA changes, invitations, revoked access and password
resets, with who (the user, or the identifier typed), their partner then, who did it, from
where (IP address, user agent), how, and a detail. Filtered by event, partner, date range
and IP address (a whole address, or its beginning: ``198.51.100.``), searchable by e-mail
address, username or name; exports CSV and XLSX with those filters.

URL names are in the ``accounts_reports`` namespace (``accounts_reports:sign_ins`` and its
``…_results`` twin), under ``/admin/reports/accounts/``.

Who sees it: superusers and users with ``accounts.view_signinevent`` ("Can view sign-in
event", offered in the group editor under "Sign-in event").
"""

import ipaddress
from datetime import UTC

from django import forms
from django.db.models import Q
from django.utils.functional import cached_property

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.reports import ReportView

import django_filters

from core.reports import AbsoluteDateColumn, ViewPermissionReportView, report_urlpatterns, view_permission_menu_items
from partners.models import Partner

from ..models import SignInEvent, SignInEventType
from ..selectors import sign_in_events

PERMISSION = "accounts.view_signinevent"
EXPORT_CHUNK_SIZE = 2000


def ip_filter(queryset, name, value):
    """A whole address exactly; anything else as the beginning of addresses (``10.1.``, ``2001:db8:``)."""
    value = value.strip()
    if not value:
        return queryset
    try:
        return queryset.filter(ip_address=str(ipaddress.ip_address(value)))
    except ValueError:
        return queryset.filter(ip_address__startswith=value)


class SignInReportFilterSet(WagtailFilterSet):
    event = django_filters.MultipleChoiceFilter(
        label="Event", choices=SignInEventType.choices, widget=forms.CheckboxSelectMultiple
    )
    partner = django_filters.ModelChoiceFilter(label="Partner", queryset=Partner.objects.all())
    account = django_filters.CharFilter(
        label="User or e-mail", method="filter_account", help_text="E-mail address, username or name (or part)."
    )
    at = django_filters.DateFromToRangeFilter(label="Between", widget=DateRangePickerWidget)
    ip_address = django_filters.CharFilter(
        label="IP address", method="filter_ip", help_text="A whole address, or its beginning (198.51.100.)."
    )

    class Meta:
        model = SignInEvent
        fields = []

    def filter_account(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(identifier__icontains=value)
            | Q(user__email__icontains=value)
            | Q(user__username__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )

    def filter_ip(self, queryset, name, value):
        return ip_filter(queryset, name, value)


def user_label(row) -> str:
    """Who it is about: their name and e-mail address (and what was typed, when that was something else), or
    what was typed for an unknown account."""
    if row.user is None:
        return row.identifier or "(unknown)"
    email = row.user.email or row.user.get_username()
    name = row.user.get_full_name()
    label = f"{name} <{email}>" if name else email
    typed = row.identifier
    return f"{label}, as “{typed}”" if typed and typed.lower() != email.lower() else label


def decorate(row: SignInEvent) -> SignInEvent:
    """``row`` with the texts the table and the exports show."""
    row.event_label = row.get_event_display()
    row.method_label = row.get_method_display()
    row.user_text = user_label(row)
    row.partner_name = row.partner.name if row.partner else ""
    row.actor_text = get_user_display_name(row.actor) if row.actor else ""
    return row


def utc_text(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


class SignInReportView(ViewPermissionReportView):
    page_title = "Sign-ins"
    header_icon = "key"
    index_url_name = "accounts_reports:sign_ins"
    index_results_url_name = "accounts_reports:sign_ins_results"
    results_template_name = "accounts/reports/results.html"  # the description above the table
    export_filename = "sign-ins"
    model = SignInEvent
    permission_model = SignInEvent  # accounts.view_signinevent
    filterset_class = SignInReportFilterSet
    is_searchable = False  # the "User or e-mail" filter searches accounts
    verbose_name = "sign-in event"
    verbose_name_plural = "sign-in events"
    nothing_yet_message = "No sign-in events yet."
    default_ordering = "-at"
    sort_fields = {"at": ("at",), "event": ("event",), "partner": ("partner__name",), "ip_address": ("ip_address",)}
    list_export = [
        "at",
        "event_label",
        "user_text",
        "identifier",
        "partner_name",
        "method_label",
        "ip_address",
        "user_agent",
        "actor_text",
        "detail",
    ]
    export_headings = {
        "at": "When (UTC)",
        "event_label": "Event",
        "user_text": "User",
        "identifier": "E-mail or username",
        "partner_name": "Partner",
        "method_label": "Method",
        "ip_address": "IP address",
        "user_agent": "User agent",
        "actor_text": "By",
        "detail": "Detail",
    }

    custom_field_preprocess = {"at": {ReportView.FORMAT_CSV: utc_text}}  # XLSX: Wagtail's, UTC too

    def get_base_queryset(self):
        return sign_in_events()

    def get_ties(self):
        return ("-at", "-pk")

    def decorate_paginated_queryset(self, object_list):
        if self.is_export:  # every row, read in chunks and labelled one by one as it is written
            return (decorate(row) for row in object_list.iterator(chunk_size=EXPORT_CHUNK_SIZE))
        return [decorate(row) for row in object_list]

    @cached_property
    def columns(self):
        return [
            AbsoluteDateColumn("at", label="When", date_format="N j, Y, H:i:s", sort_key="at"),
            StatusTagColumn(
                "event",
                label="Event",
                accessor="event_label",
                primary=lambda row: not row.is_problem,  # problems stand out
                sort_key="event",
            ),
            Column("user", label="User", accessor="user_text"),
            Column("partner", label="Partner", accessor="partner_name", sort_key="partner"),
            Column("method", label="Method", accessor="method_label"),
            Column("ip_address", label="IP address", sort_key="ip_address"),
            Column("user_agent", label="User agent"),
            Column("actor", label="By", accessor="actor_text"),
            Column("detail", label="Detail"),
        ]

    @property
    def description(self):
        return (
            "Sign-ins that succeeded or failed, sign-outs, lock-outs, SSO errors, MFA changes, invitations, revoked "
            "access and password resets, newest first: who, their partner then, who did it, from which address and "
            "browser. Failures for unknown accounts show what was typed. Events are kept for a limited time "
            "(SIGN_IN_AUDIT_DAYS)."
        )


REPORTS = {"sign_ins": ("sign-ins/", SignInReportView)}

# Included by the ``register_admin_urls`` hook under ``reports/accounts/``, namespace ``accounts_reports``.
urlpatterns = report_urlpatterns(REPORTS)


def report_menu_items():
    """The report's entry in the admin's Reports menu, after the certification reports (130 on)."""
    return view_permission_menu_items(
        "accounts_reports", [("Sign-ins", "sign_ins", "key", SignInEvent)], first_order=140
    )
