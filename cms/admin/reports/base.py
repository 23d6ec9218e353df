"""The base of the content reports: one table across assets, programs and bulletins.

One report mixes three models, so a listing is built in two steps, each a fixed
number of queries whatever the number of rows: first the sort keys of every
matching row (one small query per model), sorted in Python; then the full items of
the page shown, or of the export (one query per model, with the owner, the
lifecycle state and the download counts loaded in the same query).

Also what each report lists, as queryset conditions (``expiring_soon_q`` …), shared by
the reports and the dashboard's content health panel.
"""

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

import django_filters

from cms.gating.filters import LifecycleState, OwnerFilter, lifecycle_state_q, staff_users
from cms.models import Asset, Bulletin, Download, Program
from cms.models.content import GATED_CONTENT_MODELS

EXPIRY_WINDOWS = (7, 14, 30, 90)
DEFAULT_EXPIRY_WINDOW = 30
NOT_DOWNLOADED_DAYS = 90


def asset_filters() -> tuple:
    """The filters every asset report ends with: ``owner, asset_type = asset_filters()`` after its own."""
    return (
        OwnerFilter(label="Owner", queryset=staff_users, null_label="No owner"),
        django_filters.ChoiceFilter(
            label="Asset type", choices=Asset.AssetType.choices, empty_label="All", widget=forms.RadioSelect
        ),
    )


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


def asset_downloads(since=None):
    """The downloads of the asset of the outer query (since ``since``, if given)."""
    downloads = Download.objects.filter(asset=OuterRef("pk"))
    return downloads.filter(downloaded_at__gte=since) if since else downloads


def not_downloaded_q(*, now) -> Q:
    """Assets live for partners and not downloaded in the last ``NOT_DOWNLOADED_DAYS`` days (or ever)."""
    return Asset.live_q(now=now) & ~Exists(asset_downloads(since=now - timedelta(days=NOT_DOWNLOADED_DAYS)))


def never_downloaded_q(*, now) -> Q:
    """Assets live for partners that no one has ever downloaded."""
    return Asset.live_q(now=now) & ~Exists(asset_downloads())


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


def title_column():
    return TitleColumn("title", label="Title", get_url=lambda item: item.report_edit_url, sort_key="title")


def kind_column():
    return Column("kind", label="Type", accessor="report_kind.label", sort_key="kind")


def owner_column():
    return UserColumn("owner", label="Owner", sort_key="owner", blank_display_name="No owner")


def state_column():
    return StatusTagColumn(
        "state",
        label="State",
        accessor="report_state.label",
        primary=lambda item: item.report_state == LifecycleState.LIVE,
    )


def days_between(earlier, later):
    """Days from ``earlier`` to ``later``, or ``None`` if either is missing."""
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


class ContentReportMenuItem(MenuItem):
    """A Reports menu entry shown to staff who may change at least one of ``models``."""

    def __init__(self, *args, models=GATED_CONTENT_MODELS, **kwargs):
        super().__init__(*args, **kwargs)
        self.models = models

    def is_shown(self, request):
        return bool(report_models(request.user, self.models))
