"""Filters of every gated content listing in the admin: lifecycle state, audience tier, owner and dates.

The lifecycle state is a property of each item (``GatedContent.lifecycle_state``);
``lifecycle_state_q`` is the same decision as one queryset condition, so that the
listings (and their exports) can be filtered by state in the database.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Revision, WorkflowState

import django_filters

from partners.models import Tier


class LifecycleState(models.TextChoices):
    """The states of ``GatedContent.lifecycle_state``; the value is the property's word with ``_`` for spaces."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    EXPIRED = "expired", "Expired"
    ARCHIVED = "archived", "Archived"

    @classmethod
    def of(cls, item) -> "LifecycleState":
        return cls(item.lifecycle_state.replace(" ", "_"))


def _for_each_item(model, queryset):
    """``queryset`` (of revisions or workflow states) narrowed to the item of the outer query."""
    return queryset.filter(
        base_content_type=model.get_base_content_type(),
        object_id=Cast(OuterRef("pk"), models.CharField()),
    )


def lifecycle_state_q(model, state: str, *, now=None) -> Q:
    """The items of ``model`` in ``state``: ``lifecycle_state`` as a queryset condition.

    The checks run in the property's order (archived, expired, live, scheduled, in
    review, draft), so that every item is in exactly one state.
    """
    now = now or timezone.now()
    not_archived = Q(archived_at__isnull=True)
    expired = Q(expired=True) | Q(live=True, expire_at__lte=now)
    live = Q(live=True, expired=False) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    not_live = not_archived & Q(live=False, expired=False)
    scheduled = Exists(_for_each_item(model, Revision.objects.filter(approved_go_live_at__isnull=False)))
    in_review = Exists(_for_each_item(model, WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)))

    conditions = {
        LifecycleState.ARCHIVED: ~not_archived,
        LifecycleState.EXPIRED: not_archived & expired,
        LifecycleState.LIVE: not_archived & live,
        LifecycleState.SCHEDULED: not_live & scheduled,
        LifecycleState.IN_REVIEW: not_live & ~scheduled & in_review,
        LifecycleState.DRAFT: not_live & ~scheduled & ~in_review,
    }
    return conditions[LifecycleState(state)]


class StaffUserChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return get_user_display_name(obj)


class OwnerFilter(django_filters.ModelChoiceFilter):
    field_class = StaffUserChoiceField


def staff_users(request=None):
    """Who may own content: active staff users (``GatedContent.owner`` is limited to staff)."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name", "pk")


class GatedContentFilterSet(WagtailFilterSet):
    """Filters shared by the listings of every kind of gated content; a kind's own filterset extends it."""

    state = django_filters.ChoiceFilter(
        label="State",
        choices=LifecycleState.choices,
        method="filter_state",
        empty_label="All",
        widget=forms.RadioSelect,
    )
    min_tier = django_filters.ModelChoiceFilter(
        label="Minimum tier",
        queryset=Tier.objects.all(),
        null_label="Any (no minimum)",
    )
    owner = OwnerFilter(label="Owner", queryset=staff_users, null_label="No owner")
    expire_at = django_filters.DateFromToRangeFilter(label="Expiry date", widget=DateRangePickerWidget)
    review_by = django_filters.DateFromToRangeFilter(label="Review by", widget=DateRangePickerWidget)

    class Meta:
        fields = []

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(lifecycle_state_q(queryset.model, value))
