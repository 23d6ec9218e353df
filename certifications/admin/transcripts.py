"""Report "Learners: transcripts": find a partner user and download their transcript (PDF or CSV).

The listing (``certifications_reports:transcripts``) searches partner users by name or e-mail, filtered by
partner; each row links to ``…:transcript`` (``<user id>/<pdf|csv>/``), which answers the learner's whole
transcript (``certifications.transcript``): every round, attempt, package attempt and certificate.

Who may: users with both ``certifications.view_certificate`` and ``courses.view_enrollment`` (superusers
too); anyone else is refused (403), and an unknown user or format is 404.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

import django_filters

from core.reports import ViewPermissionReportView, may_view_report
from courses.models import Enrollment
from partners.models import Partner

from ..api import TRANSCRIPT_FORMATS, transcript_response
from ..models import Certificate


def may_read_transcripts(user) -> bool:
    return may_view_report(user, Certificate) and may_view_report(user, Enrollment)


def learners():
    """Partner users (staff are never partner users), with their partner."""
    return (
        get_user_model().objects.filter(partner_membership__isnull=False).select_related("partner_membership__partner")
    )


class LearnerFilterSet(WagtailFilterSet):
    partner = django_filters.ModelChoiceFilter(
        label="Partner", field_name="partner_membership__partner", queryset=Partner.objects.order_by("name")
    )

    class Meta:
        model = get_user_model()
        fields = []


class TranscriptReportView(ViewPermissionReportView):
    results_template_name = "cms/reports/results.html"
    page_title = "Learners: transcripts"
    header_icon = "doc-full"
    index_url_name = "certifications_reports:transcripts"
    index_results_url_name = "certifications_reports:transcripts_results"
    export_filename = "learners"
    model = get_user_model()
    permission_model = Certificate  # and courses.view_enrollment (``dispatch``)
    filterset_class = LearnerFilterSet
    is_searchable = True
    search_fields = ["first_name", "last_name", "email", "username"]
    search_backend_name = None
    verbose_name = "learner"
    verbose_name_plural = "learners"
    nothing_yet_message = "No partner users yet."
    default_ordering = "learner"
    sort_fields = {"learner": ("last_name", "first_name"), "partner": ("partner_membership__partner__name",)}
    list_export = ["learner_name", "email", "partner_name"]
    export_headings = {"learner_name": "Learner", "email": "E-mail", "partner_name": "Partner"}
    description = (
        "Find a partner user to download their transcript: every round of every course, every quiz and exam "
        "attempt, every learning package attempt and every certificate, as a PDF or a CSV."
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_read_transcripts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return learners()

    def get_ties(self):
        return ("last_name", "first_name", "pk")

    def get_filtered_queryset(self):
        return self.order_queryset(self.search_queryset(self.filter_queryset(self.get_base_queryset())))

    def decorate_paginated_queryset(self, object_list):
        users = list(object_list)
        for user in users:
            user.learner_name = user.get_full_name() or user.get_username()
            user.partner_name = user.partner_membership.partner.name
        return users

    @cached_property
    def columns(self):
        def links(user):
            pdf, csv = (reverse("certifications_reports:transcript", args=[user.pk, kind]) for kind in ("pdf", "csv"))
            return format_html('<a href="{}" download>PDF</a> · <a href="{}" download>CSV</a>', pdf, csv)

        return [
            Column("learner", label="Learner", accessor="learner_name", sort_key="learner"),
            Column("email", label="E-mail"),
            Column("partner", label="Partner", accessor="partner_name", sort_key="partner"),
            Column("transcript", label="Transcript", accessor=links),
        ]


@require_GET
def transcript_download(request, user_id: int, file_format: str):
    if not may_read_transcripts(request.user):
        raise PermissionDenied
    learner = learners().filter(pk=user_id).first()
    if learner is None or file_format not in TRANSCRIPT_FORMATS:
        raise Http404
    return transcript_response(request, user=learner, file_format=file_format)
