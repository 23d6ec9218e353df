"""The statements the LRS stored, read-only: a filterable listing and each statement's JSON as stored."""

import json

from django.utils.html import format_html

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic

import django_filters

from core.admin.viewsets import InspectOnlyViewSet

from ..models import Statement


class StatementFilterSet(WagtailFilterSet):
    verb = django_filters.CharFilter(field_name="verb_id", lookup_expr="icontains", label="Verb (IRI contains)")
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label="Actor contains")
    activity = django_filters.CharFilter(
        field_name="object_activity_id", lookup_expr="icontains", label="Activity (IRI contains)"
    )
    stored = django_filters.DateFromToRangeFilter(label="Stored", widget=DateRangePickerWidget)
    voided = django_filters.BooleanFilter(label="Voided")

    class Meta:
        model = Statement
        fields = []


def _verb(statement) -> str:
    return statement.verb_id.rsplit("/", 1)[-1]


def _object(statement) -> str:
    if statement.object_statement_id:
        return f"Statement {statement.object_statement_id}"
    return statement.object_activity_id or statement.payload["object"].get("objectType", "")


def _result(statement) -> str:
    result = statement.payload.get("result") or {}
    parts = []
    if "success" in result:
        parts.append("passed" if result["success"] else "failed")
    if "completion" in result:
        parts.append("complete" if result["completion"] else "incomplete")
    if "scaled" in result.get("score", {}):
        parts.append(f"{result['score']['scaled']:.0%}")
    return ", ".join(parts)


class StatementInspectView(generic.InspectView):
    def get_payload_display_value(self):
        return format_html("<pre>{}</pre>", json.dumps(self.object.payload, indent=2, ensure_ascii=False))


class StatementViewSet(InspectOnlyViewSet):
    """Every statement as stored: the listing filters by verb, actor, activity and date; inspect shows the JSON."""

    model = Statement
    name = "lrs_statements"
    url_prefix = "lrs/statements"
    icon = "list-ul"
    menu_label = "Statements"
    add_to_reference_index = False
    inspect_view_class = StatementInspectView
    filterset_class = StatementFilterSet
    ordering = "-stored"
    list_per_page = 50
    list_display = [
        Column("actor_label", label="Actor"),
        Column("verb", label="Verb", accessor=_verb),
        Column("object", label="Object", accessor=_object),
        Column("result", label="Result", accessor=_result),
        Column("registration", label="Registration"),
        Column("voided", label="Voided", accessor=lambda s: "Voided" if s.voided else ""),
        DateColumn("stored", label="Stored", sort_key="stored"),
    ]
    inspect_view_fields = ["id", "actor_label", "verb_id", "registration", "voided", "stored", "credential", "payload"]
