"""The admin dashboard's content health panel: content needing attention, and content by state, with links."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst

from wagtail.admin.ui.components import Component

from cms.gating.filters import LifecycleState, lifecycle_state_q
from cms.hygiene.selectors import broken_link_q, duplicate_file_q
from cms.models import Asset

from .reports.base import (
    DEFAULT_EXPIRY_WINDOW,
    expired_not_archived_q,
    expiring_soon_q,
    never_downloaded_q,
    report_models,
    review_overdue_q,
)

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
            aggregates["duplicate_files"] = Count("pk", filter=duplicate_file_q())
            aggregates["broken_links"] = Count("pk", filter=broken_link_q())
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
            attention += [
                {
                    "count": counts[Asset]["duplicate_files"],
                    "label": "assets with a duplicate file",
                    "url": reverse("cms_reports:duplicate_files"),
                    "icon": "copy",
                },
                {
                    "count": counts[Asset]["broken_links"],
                    "label": "broken links",
                    "url": reverse("cms_reports:broken_links"),
                    "icon": "link",
                },
            ]
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
