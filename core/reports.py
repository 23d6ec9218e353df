"""Bases of the admin's reports, for any app: URLs, permissions, menu entries, sorting and cells.

An app's reports live in its ``admin/`` modules and its ``wagtail_hooks.py`` registers them:

* ``report_urlpatterns({name: (route, view class)})``: each report's page and its
  ``…_results`` twin (the listing's filter refreshes), to include under a namespace;
* ``ViewPermissionReportView``: a report shown to users with the "view" permission of its
  ``permission_model`` (Wagtail redirects the others to the dashboard), with the date of
  today in the export's file name, sorting by columns (``sort_fields``, empty values last)
  and a message when there is nothing to report;
* ``view_permission_menu_items(namespace, entries, first_order=...)``: the Reports menu's
  entries of such reports, each shown to the users who may see it;
* ``permissions_named(names)``: what a ``register_permissions`` hook returns so that the
  group editor offers a report's permissions;
* ``AbsoluteDateColumn`` (a date as such, also in listings), ``period_label``,
  ``percent_label`` and ``export_percent``: how reports show dates and rates.

Imports no project app.
"""

from django.contrib.auth.models import Permission
from django.db.models import F, Q, QuerySet
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import template_localtime

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

# --- URLs, permissions and menu entries ------------------------------------------------------------


def report_urlpatterns(reports: dict) -> list:
    """URLs of ``{name: (route, view class)}`` reports: each page, and its ``…_results`` twin for filter refreshes."""
    return [
        pattern
        for name, (route, view_class) in reports.items()
        for pattern in (
            path(route, view_class.as_view(), name=name),
            path(f"{route}results/", view_class.as_view(results_only=True), name=f"{name}_results"),
        )
    ]


def permissions_named(names) -> QuerySet:
    """The permissions ``"app_label.codename"`` of ``names``: what a ``register_permissions`` hook returns, so that
    the admin's group editor offers them."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def may_view_report(user, model) -> bool:
    """Whether ``user`` may see a report over ``model``: its "view" permission."""
    return policy_registry.get_by_type(model).user_has_permission(user, "view")


class ViewPermissionMenuItem(MenuItem):
    """A Reports menu entry shown to the users with the "view" permission of ``permission_model``."""

    def __init__(self, *args, permission_model, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission_model = permission_model

    def is_shown(self, request):
        return may_view_report(request.user, self.permission_model)


def view_permission_menu_items(namespace: str, entries, *, first_order: int) -> list:
    """Reports menu entries of the ``(label, url name, icon, model)`` reports in ``namespace`` (``courses_reports``):
    each shown to the users with the "view" permission of its model, in order from ``first_order``."""
    prefix = namespace.removesuffix("_reports")
    return [
        ViewPermissionMenuItem(
            label,
            reverse_lazy(f"{namespace}:{url_name}"),
            name=f"{prefix}-{url_name.replace('_', '-')}",
            icon_name=icon,
            order=first_order + index,
            permission_model=model,
        )
        for index, (label, url_name, icon, model) in enumerate(entries)
    ]


# --- cells and words -------------------------------------------------------------------------------


class AbsoluteDateColumn(Column):
    """A date (or date and time) as such: Wagtail's ``DateColumn`` says "just now" for every future date."""

    def __init__(self, name, date_format="N j, Y", **kwargs):
        super().__init__(name, **kwargs)
        self.date_format = date_format

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        if value:
            value = template_localtime(value)  # as the template filter ``date`` shows it: in the current time zone
            context["value"] = format_html(
                '<time datetime="{}">{}</time>', date_filter(value, "c"), date_filter(value, self.date_format)
            )
        else:
            context["value"] = ""
        return context


def period_label(dates) -> str:
    """A date range of a report's filters (a slice of datetimes, or ``None``), in words."""
    start = date_format(timezone.localtime(dates.start)) if dates and dates.start else None
    end = date_format(timezone.localtime(dates.stop)) if dates and dates.stop else None
    if start and end:
        return f"from {start} to {end}"
    if start or end:
        return f"since {start}" if start else f"until {end}"
    return "at any time"


def percent_label(value) -> str:
    """A rate (0 to 1) as shown in a report's table: ``"42%"``, or nothing."""
    return "" if value is None else f"{value:.0%}"


class PercentColumn(Column):
    """A rate (0 to 1) of each row, shown as a percentage and sorted by the rate itself."""

    def __init__(self, name: str, *, label: str):
        super().__init__(name, label=label, accessor=lambda row: percent_label(row[name]), sort_key=name)


def export_percent(value):
    """A rate (0 to 1) as exported: a percentage to one decimal, or nothing."""
    return None if value is None else round(value * 100, 1)


def ordered_queryset(queryset, ordering, sort_fields: dict, ties):
    """``queryset`` ordered by the column ``ordering`` names (empty values last), then by ``ties``.

    ``sort_fields`` maps a column's sort key to the fields it sorts by; ``ties`` are fields
    (``-`` for descending) that order the rows the column leaves tied.
    """
    ordering = ordering or ""
    descending = ordering.startswith("-")
    primary = sort_fields.get(ordering.lstrip("-"), ())
    expressions = [
        F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True) for field in primary
    ]
    for tie in ties:
        field = tie.lstrip("-")
        if field not in primary:
            expressions.append(
                F(field).desc(nulls_last=True) if tie.startswith("-") else F(field).asc(nulls_last=True)
            )
    return queryset.order_by(*expressions)


# --- the report view -------------------------------------------------------------------------------


class ViewPermissionReportView(ReportView):
    """A report over ``permission_model``'s records, with filters, sorting, and CSV and XLSX export.

    Shown to the users with the model's "view" permission; set ``results_template_name`` to a
    template that shows the view's ``description`` above the table, if the report has one.
    """

    permission_required = "view"  # of ``permission_model``; Wagtail redirects the others to the dashboard
    permission_model = None
    sort_fields = {}  # a column's sort key -> the fields of the rows it sorts by
    nothing_yet_message = "Nothing to report yet."  # when nothing is counted, filters aside

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(self.permission_model)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def get_filename(self):
        return f"{self.export_filename}-{self.today:%Y-%m-%d}"

    @cached_property
    def cleaned_filters(self) -> dict:
        return self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}

    def get_ties(self):
        """The fields ordering the rows the chosen column leaves tied."""
        return ()

    def order_queryset(self, queryset):
        return ordered_queryset(queryset, self.ordering, self.sort_fields, self.get_ties())

    def may_edit(self, model) -> bool:
        return policy_registry.get_by_type(model).user_has_permission(self.request.user, "change")

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return "Nothing matches your filters."
        return self.nothing_yet_message
