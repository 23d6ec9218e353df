"""Content reports of the admin's Reports menu, and the content health panel of its dashboard.

Four reports list what needs an editor's attention, across assets, programs and
bulletins (``GATED_CONTENT_MODELS``) in one table:

* ``expiring_soon``: live items whose ``expire_at`` falls within the next 7/14/30/90 days;
* ``review_overdue``: items (not archived) whose ``review_by`` date has passed;
* ``expired_not_archived``: items past their expiry (swept or not) that are not archived yet;
* ``not_downloaded``: live assets never downloaded, or not downloaded in the last 90 days.

URL names are in the ``cms_reports`` namespace (``cms_reports:expiring_soon`` …,
each with a ``…_results`` twin for the listing's filter refreshes), under
``/admin/reports/content/``; every report exports CSV and XLSX with its filters.

One report mixes three models, so a listing is built in two steps, each a fixed
number of queries whatever the number of rows: first the sort keys of every
matching row (one small query per model), sorted in Python; then the full items of
the page shown, or of the export (one query per model, with the owner, the
lifecycle state and the download counts loaded in the same query).

Who sees them: staff with the change permission of at least one of the models;
the reports and the panel then cover the models they may change.
"""

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, CharField, Count, Exists, Max, OuterRef, Q, Subquery, Value, When
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

import django_filters

from .gating.filters import LifecycleState, OwnerFilter, lifecycle_state_q, staff_users
from .models import Asset, Bulletin, Download, Program
from .models.content import GATED_CONTENT_MODELS

EXPIRY_WINDOWS = (7, 14, 30, 90)
DEFAULT_EXPIRY_WINDOW = 30
NOT_DOWNLOADED_DAYS = 90


class ContentKind(models.TextChoices):
    ASSET = "asset", "Asset"
    PROGRAM = "program", "Program"
    BULLETIN = "bulletin", "Bulletin"


KIND_OF_MODEL = {Asset: ContentKind.ASSET, Program: ContentKind.PROGRAM, Bulletin: ContentKind.BULLETIN}


# --- what each report lists, as queryset conditions (shared by the reports and the panel) --------


def expiring_soon_q(*, now, days: int) -> Q:
    """Live, not archived, and expiring after ``now`` but within ``days`` days."""
    return Q(live=True, archived_at__isnull=True, expire_at__gt=now, expire_at__lte=now + timedelta(days=days))


def review_overdue_q(*, today) -> Q:
    """Not archived, and the review-by date is before ``today``."""
    return Q(archived_at__isnull=True, review_by__lt=today)


def expired_not_archived_q(*, now) -> Q:
    """Not archived, and expired: swept by the lifecycle sweep, or past ``expire_at`` and not swept yet."""
    return Q(archived_at__isnull=True) & (Q(expired=True) | Q(expire_at__lte=now))


def _downloads(since=None):
    """The downloads of the asset of the outer query (since ``since``, if given)."""
    downloads = Download.objects.filter(asset=OuterRef("pk"))
    return downloads.filter(downloaded_at__gte=since) if since else downloads


def not_downloaded_q(*, now) -> Q:
    """Assets live for partners and not downloaded in the last ``NOT_DOWNLOADED_DAYS`` days (or ever)."""
    return Asset.live_q(now=now) & ~Exists(_downloads(since=now - timedelta(days=NOT_DOWNLOADED_DAYS)))


def never_downloaded_q(*, now) -> Q:
    """Assets live for partners that no one has ever downloaded."""
    return Asset.live_q(now=now) & ~Exists(_downloads())


def lifecycle_state_case(model, *, now) -> Case:
    """``lifecycle_state`` as an annotation (one of ``LifecycleState``'s values), computed in the same query."""
    return Case(
        *(When(lifecycle_state_q(model, state, now=now), then=Value(state.value)) for state in LifecycleState),
        default=Value(LifecycleState.DRAFT.value),
        output_field=CharField(),
    )


def report_models(user, models=GATED_CONTENT_MODELS) -> list:
    """Those of ``models`` that ``user`` may change: what the reports and the panel show them."""
    if not user.is_active or not user.is_staff:
        return []
    return [model for model in models if policy_registry.get_by_type(model).user_has_permission(user, "change")]


# --- filters -------------------------------------------------------------------------------------


class ContentReportFilterSet(WagtailFilterSet):
    """Filters of a report across the three kinds of content; applied to each model's queryset in turn."""

    kind = django_filters.ChoiceFilter(
        label="Content",
        choices=ContentKind.choices,
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_kind",
    )
    owner = OwnerFilter(label="Owner", queryset=staff_users, null_label="No owner")

    class Meta:
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset if KIND_OF_MODEL.get(queryset.model) == value else queryset.none()


class ExpiringSoonFilterSet(ContentReportFilterSet):
    days = django_filters.ChoiceFilter(
        label="Expiring within",
        choices=[(str(days), f"{days} days") for days in EXPIRY_WINDOWS],
        empty_label=None,
        initial=str(DEFAULT_EXPIRY_WINDOW),
        widget=forms.RadioSelect,
        method="filter_days",  # the report's window: applied by the view, whatever else is filtered
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("days"):
            data = data.copy()
            data["days"] = str(DEFAULT_EXPIRY_WINDOW)
        super().__init__(data, *args, **kwargs)

    def filter_days(self, queryset, name, value):
        return queryset


ExpiringSoonFilterSet.base_filters.move_to_end("days", last=False)  # the window first, then kind and owner


class NotDownloadedFilterSet(WagtailFilterSet):
    downloads = django_filters.ChoiceFilter(
        label="Downloads",
        choices=[
            ("never", "Never downloaded"),
            ("stale", f"Downloaded before, not in the last {NOT_DOWNLOADED_DAYS} days"),
        ],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_downloads",
    )
    owner = OwnerFilter(label="Owner", queryset=staff_users, null_label="No owner")
    asset_type = django_filters.ChoiceFilter(
        label="Asset type", choices=Asset.AssetType.choices, empty_label="All", widget=forms.RadioSelect
    )

    class Meta:
        model = Asset
        fields = []

    def filter_downloads(self, queryset, name, value):
        if value == "never":
            return queryset.filter(~Exists(_downloads()))
        return queryset.filter(Exists(_downloads()))


# --- listing: rows of several models, loaded a page at a time -------------------------------------


class ContentRows(Sequence):
    """The sorted ``(model, pk)`` keys of a report's rows; slicing or iterating loads the items themselves.

    Django's paginator slices it for a page; an export iterates over it in chunks.
    """

    chunk_size = 500

    def __init__(self, keys, load):
        self.keys = keys
        self.load = load

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.load(self.keys[index])
        return self.load([self.keys[index]])[0]

    def __iter__(self):
        for start in range(0, len(self.keys), self.chunk_size):
            yield from self.load(self.keys[start : start + self.chunk_size])


class DateColumn(Column):
    """A date (or date and time) as such: Wagtail's ``DateColumn`` says "just now" for every future date."""

    cell_template_name = "cms/admin/tables/date_cell.html"

    def __init__(self, name, date_format="N j, Y", **kwargs):
        super().__init__(name, **kwargs)
        self.date_format = date_format


def _title_column():
    return TitleColumn("title", label="Title", get_url=lambda item: item.report_edit_url, sort_key="title")


def _kind_column():
    return Column("kind", label="Type", accessor="report_kind.label", sort_key="kind")


def _owner_column():
    return UserColumn("owner", label="Owner", sort_key="owner", blank_display_name="No owner")


def _state_column():
    return StatusTagColumn(
        "state",
        label="State",
        accessor="report_state.label",
        primary=lambda item: item.report_state == LifecycleState.LIVE,
    )


def _days_between(earlier, later):
    return (later - earlier).days if earlier and later else None


class ContentReportView(ReportView):
    """A report listing items of several content models in one table, with filters, sorting and export."""

    results_template_name = "cms/reports/results.html"
    description = ""  # what the report lists, shown above the results
    models = GATED_CONTENT_MODELS
    filterset_class = ContentReportFilterSet
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None  # search titles in the database, where the filters combine with it
    verbose_name = "item"
    verbose_name_plural = "items"
    sort_fields = ()  # fields (or ``annotate_for_sorting`` annotations) fetched with the rows, to sort by
    nulls_first = ()  # sort fields whose empty value comes before any value (e.g. "never downloaded")
    list_export = ["title", "report_kind", "report_owner", "report_state"]
    export_headings = {
        "title": "Title",
        "report_kind": "Type",
        "report_owner": "Owner",
        "report_state": "State",
        "report_edit_url": "Edit URL",
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.url_finder = AdminURLFinder()

    def dispatch(self, request, *args, **kwargs):
        if not self.permitted_models:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permitted_models(self):
        return report_models(self.request.user, self.models)

    def get_filterset_kwargs(self):
        # The filters are declared, not derived from a model: any of the models' querysets will do here.
        return {**super().get_filterset_kwargs(), "queryset": self.models[0]._default_manager.none()}

    def get_filename(self):
        return f"{self.export_filename}-{self.today:%Y-%m-%d}"

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return "Nothing matches your filters."
        return "Nothing to report: all clear."

    # What each report defines.

    def get_report_queryset(self, model):
        """The items of ``model`` the report lists, before the user's filters."""
        raise NotImplementedError

    def annotate_for_sorting(self, queryset):
        """Annotations named in ``sort_fields``."""
        return queryset

    def annotate_for_display(self, queryset):
        """Annotations the columns and export need, for the items of one page."""
        return queryset

    def decorate(self, item):
        """Set the attributes the columns and export read on ``item``."""
        item.report_kind = KIND_OF_MODEL[type(item)]
        item.report_state = LifecycleState(item.report_state_value)
        item.report_owner = get_user_display_name(item.owner) if item.owner else ""
        path = self.url_finder.get_edit_url(item)
        item.report_edit_url = path
        item.report_edit_url_absolute = self.request.build_absolute_uri(path) if path else ""

    # Step one: the sorted keys of every row.

    def get_filtered_queryset(self):
        username = f"owner__{get_user_model().USERNAME_FIELD}"
        fields = ["pk", "title", "owner_id", "owner__first_name", "owner__last_name", username, *self.sort_fields]
        rows = []
        for model in self.permitted_models:
            queryset = self.get_report_queryset(model)
            if self.filters and self.filters.is_valid():
                queryset = self.filters.filter_queryset(queryset)
            queryset = self.annotate_for_sorting(self.search_queryset(queryset))
            for row in queryset.order_by().values(*fields):
                row["model"] = model
                row["kind"] = KIND_OF_MODEL[model].label
                first_last = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
                row["owner"] = (first_last or row[username] or "").lower() if row["owner_id"] else None
                rows.append(row)
        return ContentRows([(row["model"], row["pk"]) for row in self.sort_rows(rows)], self.load_items)

    def sort_rows(self, rows):
        ordering = self.ordering or ""
        field = ordering.lstrip("-")
        # Ties (and every row, for the title) in the order title, type, id; then by the field, stably.
        rows.sort(key=lambda row: (row["title"].lower(), row["kind"], row["pk"]))
        if field and field != "title":
            empty_first = field in self.nulls_first

            def key(row):
                value = row[field]
                return ((value is not None) if empty_first else (value is None), value if value is not None else 0)

            rows.sort(key=key, reverse=ordering.startswith("-"))
        elif ordering.startswith("-"):
            rows.reverse()
        return rows

    # Step two: the items of the rows shown (or exported).

    def get_items_queryset(self, model):
        queryset = model._default_manager.select_related("owner", "owner__wagtail_userprofile").annotate(
            report_state_value=lifecycle_state_case(model, now=self.now)
        )
        return self.annotate_for_display(queryset)

    def load_items(self, keys):
        pks_by_model = defaultdict(list)
        for model, pk in keys:
            pks_by_model[model].append(pk)
        loaded = {}
        for model, pks in pks_by_model.items():
            for item in self.get_items_queryset(model).filter(pk__in=pks).order_by():
                loaded[model, item.pk] = item
        items = [loaded[key] for key in keys if key in loaded]  # an item deleted meanwhile is left out
        for item in items:
            self.decorate(item)
        return items

    def to_row_dict(self, item):
        row = OrderedDict((field, getattr(item, field)) for field in self.list_export)
        for field in ("report_kind", "report_state"):
            if field in row:
                row[field] = row[field].label
        if "report_edit_url" in row:
            row["report_edit_url"] = item.report_edit_url_absolute
        return row


class ExpiringSoonView(ContentReportView):
    page_title = "Expiring soon"
    header_icon = "time"
    index_url_name = "cms_reports:expiring_soon"
    index_results_url_name = "cms_reports:expiring_soon_results"
    filterset_class = ExpiringSoonFilterSet
    export_filename = "content-expiring-soon"
    sort_fields = ("expire_at", "review_by")
    default_ordering = "expire_at"
    columns = [
        _title_column(),
        _kind_column(),
        _owner_column(),
        _state_column(),
        DateColumn("expire_at", label="Expires", date_format="N j, Y, H:i", sort_key="expire_at"),
        Column("days_left", label="Days left", accessor="report_days_left"),
        DateColumn("review_by", label="Review by", sort_key="review_by"),
    ]
    list_export = [*ContentReportView.list_export, "expire_at", "report_days_left", "review_by", "report_edit_url"]
    export_headings = {
        **ContentReportView.export_headings,
        "expire_at": "Expires",
        "report_days_left": "Days left",
        "review_by": "Review by",
    }

    @cached_property
    def days(self) -> int:
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("days"):
            return int(self.filters.form.cleaned_data["days"])
        return DEFAULT_EXPIRY_WINDOW

    @property
    def description(self):
        return (
            f"Live items that expire within the next {self.days} days: partners stop seeing them then. "
            "Extend or replace them in time."
        )

    def get_report_queryset(self, model):
        return model._default_manager.filter(expiring_soon_q(now=self.now, days=self.days))

    def decorate(self, item):
        super().decorate(item)
        item.report_days_left = _days_between(self.today, timezone.localdate(item.expire_at))


class ReviewOverdueView(ContentReportView):
    page_title = "Review overdue"
    header_icon = "warning"
    index_url_name = "cms_reports:review_overdue"
    index_results_url_name = "cms_reports:review_overdue_results"
    export_filename = "content-review-overdue"
    description = (
        "Items whose review-by date has passed (archived ones aside). "
        "Check they are still right, then set their next review date."
    )
    sort_fields = ("review_by", "expire_at")
    default_ordering = "review_by"
    columns = [
        _title_column(),
        _kind_column(),
        _owner_column(),
        _state_column(),
        DateColumn("review_by", label="Review by", sort_key="review_by"),
        Column("days_overdue", label="Days overdue", accessor="report_days_overdue"),
        DateColumn("expire_at", label="Expires", date_format="N j, Y, H:i", sort_key="expire_at"),
    ]
    list_export = [*ContentReportView.list_export, "review_by", "report_days_overdue", "expire_at", "report_edit_url"]
    export_headings = {
        **ContentReportView.export_headings,
        "review_by": "Review by",
        "report_days_overdue": "Days overdue",
        "expire_at": "Expires",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(review_overdue_q(today=self.today))

    def decorate(self, item):
        super().decorate(item)
        item.report_days_overdue = _days_between(item.review_by, self.today)


class ExpiredNotArchivedView(ContentReportView):
    page_title = "Expired, not archived"
    header_icon = "no-view"
    index_url_name = "cms_reports:expired_not_archived"
    index_results_url_name = "cms_reports:expired_not_archived_results"
    export_filename = "content-expired-not-archived"
    description = (
        "Items past their expiry date that are not archived: partners no longer see them. "
        "Archive them, or give them a new expiry date and publish them again."
    )
    sort_fields = ("expire_at",)
    default_ordering = "expire_at"
    columns = [
        _title_column(),
        _kind_column(),
        _owner_column(),
        _state_column(),
        DateColumn("expire_at", label="Expired", date_format="N j, Y, H:i", sort_key="expire_at"),
        Column("days_expired", label="Days since expiry", accessor="report_days_expired"),
        DateColumn("auto_archive_on", label="Archived automatically on", accessor="report_auto_archive_on"),
    ]
    list_export = [
        *ContentReportView.list_export,
        "expire_at",
        "report_days_expired",
        "report_auto_archive_on",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "expire_at": "Expired",
        "report_days_expired": "Days since expiry",
        "report_auto_archive_on": "Archived automatically on",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(expired_not_archived_q(now=self.now))

    def decorate(self, item):
        super().decorate(item)
        expired_on = timezone.localdate(item.expire_at) if item.expire_at else None
        item.report_days_expired = _days_between(expired_on, self.today)
        # The lifecycle sweep archives what it expired, ARCHIVE_AFTER_EXPIRY_DAYS after its expiry date.
        archive_after = getattr(settings, "ARCHIVE_AFTER_EXPIRY_DAYS", None)
        item.report_auto_archive_on = (
            timezone.localdate(item.expire_at + timedelta(days=archive_after))
            if item.expire_at and archive_after is not None
            else None
        )


class NotDownloadedView(ContentReportView):
    page_title = "Not downloaded"
    header_icon = "download"
    index_url_name = "cms_reports:not_downloaded"
    index_results_url_name = "cms_reports:not_downloaded_results"
    models = (Asset,)
    filterset_class = NotDownloadedFilterSet
    export_filename = "assets-not-downloaded"
    description = (
        f"Assets live for partners that no one has downloaded in the last {NOT_DOWNLOADED_DAYS} days, or ever."
    )
    verbose_name = "asset"
    verbose_name_plural = "assets"
    sort_fields = ("last_downloaded_at", "first_published_at", "asset_type")
    nulls_first = ("last_downloaded_at",)  # never downloaded: longer ago than any download
    default_ordering = "last_downloaded_at"
    columns = [
        _title_column(),
        Column("asset_type", label="Asset type", accessor="get_asset_type_display", sort_key="asset_type"),
        _owner_column(),
        _state_column(),
        DateColumn("first_published_at", label="First published", sort_key="first_published_at"),
        DateColumn(
            "last_downloaded_at",
            label="Last downloaded",
            date_format="N j, Y, H:i",
            sort_key="last_downloaded_at",
        ),
        Column("download_count", label="Downloads"),
    ]
    list_export = [
        "title",
        "report_kind",
        "get_asset_type_display",
        "report_owner",
        "report_state",
        "first_published_at",
        "last_downloaded_at",
        "download_count",
        "report_edit_url",
    ]
    export_headings = {
        **ContentReportView.export_headings,
        "get_asset_type_display": "Asset type",
        "first_published_at": "First published",
        "last_downloaded_at": "Last downloaded",
        "download_count": "Downloads",
    }

    def get_report_queryset(self, model):
        return model._default_manager.filter(not_downloaded_q(now=self.now))

    def annotate_for_sorting(self, queryset):
        latest = _downloads().order_by("-downloaded_at").values("downloaded_at")[:1]
        return queryset.annotate(last_downloaded_at=Subquery(latest))

    def annotate_for_display(self, queryset):
        return queryset.annotate(last_downloaded_at=Max("downloads__downloaded_at"), download_count=Count("downloads"))

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_asset_type_display"] = item.get_asset_type_display()
        return row


REPORTS = {
    "expiring_soon": ("expiring-soon/", ExpiringSoonView),
    "review_overdue": ("review-overdue/", ReviewOverdueView),
    "expired_not_archived": ("expired/", ExpiredNotArchivedView),
    "not_downloaded": ("not-downloaded/", NotDownloadedView),
}


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


def permissions_named(names) -> models.QuerySet:
    """The permissions ``"app_label.codename"`` of ``names``: what a ``register_permissions`` hook returns, so that
    the admin's group editor offers them."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


# Included by the ``register_admin_urls`` hook under ``reports/content/``, namespace ``cms_reports``.
urlpatterns = report_urlpatterns(REPORTS)


class ContentReportMenuItem(MenuItem):
    def __init__(self, *args, models=GATED_CONTENT_MODELS, **kwargs):
        super().__init__(*args, **kwargs)
        self.models = models

    def is_shown(self, request):
        return bool(report_models(request.user, self.models))


def report_menu_items():
    """The reports' entries in the admin's Reports menu, before Wagtail's own page reports (700 on)."""
    entries = [
        ("Expiring soon", "expiring_soon", "time", GATED_CONTENT_MODELS),
        ("Review overdue", "review_overdue", "warning", GATED_CONTENT_MODELS),
        ("Expired, not archived", "expired_not_archived", "no-view", GATED_CONTENT_MODELS),
        ("Not downloaded", "not_downloaded", "download", (Asset,)),
    ]
    return [
        ContentReportMenuItem(
            label,
            reverse_lazy(f"cms_reports:{url_name}"),
            name=f"content-{url_name.replace('_', '-')}",
            icon_name=icon,
            order=100 + index,
            models=models,
        )
        for index, (label, url_name, icon, models) in enumerate(entries)
    ]


# --- the dashboard panel ---------------------------------------------------------------------------


STATES_SHOWN = (
    LifecycleState.LIVE,
    LifecycleState.SCHEDULED,
    LifecycleState.IN_REVIEW,
    LifecycleState.DRAFT,
    LifecycleState.EXPIRED,
    LifecycleState.ARCHIVED,
)


def _with_query(url, **params):
    return f"{url}?{urlencode(params)}" if params else url


class ContentHealthPanel(Component):
    """The admin home's summary of content needing attention, and of content by state, with links.

    One aggregate query per content model, whatever the amount of content.
    """

    name = "content_health"
    template_name = "cms/dashboard/content_health.html"
    order = 150  # before Wagtail's workflow panels (210, 220) and recent edits (250)

    def __init__(self, request):
        self.request = request
        self.models = report_models(request.user)

    def is_shown(self):
        return bool(self.models)

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.is_shown() else ""

    def get_counts(self, model, *, now):
        today = timezone.localdate(now)
        aggregates = {
            f"state_{state.value}": Count("pk", filter=lifecycle_state_q(model, state, now=now))
            for state in STATES_SHOWN
        }
        aggregates["expiring_soon"] = Count("pk", filter=expiring_soon_q(now=now, days=DEFAULT_EXPIRY_WINDOW))
        aggregates["review_overdue"] = Count("pk", filter=review_overdue_q(today=today))
        aggregates["expired_not_archived"] = Count("pk", filter=expired_not_archived_q(now=now))
        if model is Asset:
            aggregates["never_downloaded"] = Count("pk", filter=never_downloaded_q(now=now))
        return model._default_manager.order_by().aggregate(**aggregates)

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        counts = {model: self.get_counts(model, now=now) for model in self.models}

        def total(key):
            return sum(model_counts.get(key, 0) for model_counts in counts.values())

        attention = [
            {
                "count": total("expiring_soon"),
                "label": f"expiring in the next {DEFAULT_EXPIRY_WINDOW} days",
                "url": _with_query(reverse("cms_reports:expiring_soon"), days=DEFAULT_EXPIRY_WINDOW),
                "icon": "time",
            },
            {
                "count": total("review_overdue"),
                "label": "past their review date",
                "url": reverse("cms_reports:review_overdue"),
                "icon": "warning",
            },
            {
                "count": total("expired_not_archived"),
                "label": "expired, not archived",
                "url": reverse("cms_reports:expired_not_archived"),
                "icon": "no-view",
            },
        ]
        if Asset in counts:
            attention.append(
                {
                    "count": counts[Asset]["never_downloaded"],
                    "label": "live assets never downloaded",
                    "url": _with_query(reverse("cms_reports:not_downloaded"), downloads="never"),
                    "icon": "download",
                }
            )
        columns = [
            {
                "label": capfirst(model._meta.verbose_name_plural),
                "list_url": reverse(model.snippet_viewset.get_url_name("list")),
            }
            for model in counts
        ]
        states = [
            {
                "label": state.label,
                "value": state.value,
                "cells": [
                    {
                        "count": model_counts[f"state_{state.value}"],
                        "url": _with_query(column["list_url"], state=state.value),
                    }
                    for column, model_counts in zip(columns, counts.values(), strict=True)
                ],
                "total": total(f"state_{state.value}"),
            }
            for state in STATES_SHOWN
        ]
        return {"attention": attention, "columns": columns, "states": states}
