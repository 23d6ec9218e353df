"""Certifications partners earn by completing courses (and an exam), and the certificates issued.

A ``Certification`` is gated content (audience, review, scheduling, archive) that
requires courses and optionally an exam quiz (taken in a course that uses it, or on its
own: ``exam_standalone``, after its ``exam_prerequisites``); it is valid for some months
and can be renewed inside a window before expiry. A ``Certificate`` is one issue of it to a user:
renewing issues a new certificate that continues from the old expiry and points back
at it (``renewed_from``), so the history stays. At most one certificate per user and
certification is *current* (not superseded by a renewal); the database enforces it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cms.gating.models import GatedContent, GatedContentQuerySet, gated_content_tabs, snippet_generic_relation
from courses.models import Course, Quiz
from partners.models import Partner, Tier

from .forms import CertificationForm


def new_verification_code() -> str:
    """An unguessable code for the public verification URL (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class RenewalRequires(models.TextChoices):
    """What a holder does again to renew a certification (``certifications.renewal`` applies it)."""

    REFRESHER = "refresher", "A renewal course (any one of the renewal courses)"
    RETAKE_COURSES = "retake_courses", "Retaking every required course"
    RETAKE_EXAM = "retake_exam", "Passing the exam again"
    RETAKE_ALL = "retake_all", "Retaking every required course and passing the exam again"


def renewal_rule_errors(*, rule: str, has_exam: bool, required_courses: int, renewal_courses: int) -> dict[str, str]:
    """Why a certification's renewal rule does not fit the rest of its setup, by field (empty when it fits)."""
    errors = {}
    if rule in (RenewalRequires.RETAKE_EXAM, RenewalRequires.RETAKE_ALL) and not has_exam:
        errors["renewal_requires"] = (
            "Renewal by passing the exam again needs an exam: choose the exam, or another way to renew."
        )
    elif rule in (RenewalRequires.RETAKE_COURSES, RenewalRequires.RETAKE_ALL) and not required_courses:
        errors["renewal_requires"] = (
            "Renewal by retaking the required courses needs required courses: add them, or choose another way "
            "to renew."
        )
    if rule != RenewalRequires.REFRESHER and renewal_courses:
        errors["renewal_courses"] = (
            "Renewal courses count only when the certification renews by a renewal course: remove them, or "
            "choose that way to renew."
        )
    return errors


class EarnedBy(models.TextChoices):
    """What earned a certificate: the full path, or the renewal rule met (``RenewalRequires``)."""

    PATH = "path", "The full path"
    REFRESHER = "refresher", "Renewal course"
    RETAKE_COURSES = "retake_courses", "Retake of the courses"
    RETAKE_EXAM = "retake_exam", "Retake of the exam"
    RETAKE_ALL = "retake_all", "Retake of the courses and the exam"


class Certification(GatedContent):
    badge_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    required_courses = ParentalManyToManyField(
        Course, blank=True, related_name="certifications", help_text="All must be completed."
    )
    exam = models.ForeignKey(
        Quiz,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certification_exams",
        help_text="A final exam to pass as well: in any course that uses it, or on its own (below).",
    )
    exam_standalone = models.BooleanField(
        "exam taken on its own",
        default=False,
        help_text=(
            "Partners who may see the certification take its exam directly, without a course: the quiz's attempt "
            "limit, time limit and late rule apply, one attempt at a time, and only the score and pass or fail are "
            "shown (the quiz must never show answers)."
        ),
    )
    exam_prerequisites = ParentalManyToManyField(
        Course,
        blank=True,
        related_name="exam_certifications",
        help_text="Courses to complete before taking the exam on its own. Blank: none.",
    )
    validity_months = models.PositiveIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    renewal_window_days = models.PositiveIntegerField(
        default=60,
        validators=[MaxValueValidator(365)],
        help_text="How many days before expiry a holder may renew.",
    )
    renewal_courses = ParentalManyToManyField(
        Course,
        blank=True,
        related_name="renewed_certifications",
        help_text=(
            "When renewing by a renewal course: completing any one of these after the last issue renews inside "
            "the window, or re-earns a lapsed or revoked certificate. Blank: no renewal."
        ),
    )
    # --- renewal by retake (``certifications.renewal``) ---
    renewal_requires = models.CharField(
        "Renewal requires",
        max_length=16,
        choices=RenewalRequires.choices,
        default=RenewalRequires.REFRESHER,
        help_text=(
            "What a holder does again to renew (or re-earn a lapsed or revoked certificate). A retake counts "
            "when completed, or the exam passed, after the renewal window opened; a renewal course any time "
            "after the last issue."
        ),
    )

    # What gated content requires when it requires this certification (``certifications.qualifications``).
    qualification = models.OneToOneField(
        "partners.Qualification",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="certification",
    )

    objects = GatedContentQuerySet.as_manager()
    base_form_class = CertificationForm

    def with_content_json(self, content):
        """Keep the qualification: it belongs to the certification, not to a revision."""
        obj = super().with_content_json(content)
        obj.qualification_id = self.qualification_id
        return obj

    def clean(self):
        super().clean()
        self.clean_exam()
        if self.validity_months and self.renewal_window_days is not None:
            shortest_validity = self.validity_months * 28  # days in the shortest months
            if self.renewal_window_days >= shortest_validity:
                raise ValidationError(
                    {
                        "renewal_window_days": f"The renewal window must be shorter than the validity "
                        f"({self.validity_months} months): at most {shortest_validity - 1} days."
                    }
                )

    def clean_exam(self):
        """A stand-alone exam needs its quiz, and a quiz that never shows answers (nor, by the bank rule, do its
        bank's other quizzes): proctoring-light shows a candidate their score and pass or fail only."""
        if not self.exam_standalone:
            return
        if not self.exam_id:
            raise ValidationError({"exam_standalone": "Choose the exam quiz to take on its own."})
        if self.exam.reveals_answers:
            raise ValidationError(
                {
                    "exam": f"An exam taken on its own never shows answers: set “{self.exam}” to never show "
                    "answers (Learning → Quizzes), or take the exam in a course."
                }
            )

    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "certification")
    revisions = snippet_generic_relation("wagtailcore.Revision", "certification")

    edit_handler = gated_content_tabs(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("badge_image"),
            FieldPanel("required_courses"),
            MultiFieldPanel(
                [FieldPanel("exam"), FieldPanel("exam_standalone"), FieldPanel("exam_prerequisites")], heading="Exam"
            ),
            FieldRowPanel([FieldPanel("validity_months"), FieldPanel("renewal_window_days")]),
            FieldPanel("renewal_requires"),
            FieldPanel("renewal_courses"),
        ]
    )

    def preview_payload(self, request) -> dict:
        """What ``GET /api/v1/certifications`` answers for it, as the editor has it: its path, nobody's progress."""
        # The API builds the payload and imports these models: reached at call time.
        from .api import certification_preview

        return certification_preview(request, self)


class Certificate(models.Model):
    EarnedBy = EarnedBy

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRING = "expiring", "Expiring soon"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        RENEWED = "renewed", "Renewed (superseded)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="certificates")
    partner = models.ForeignKey(
        Partner, null=True, on_delete=models.SET_NULL, related_name="+", help_text="The holder's partner at issue."
    )
    certification_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code, editable=False)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal"
    )
    superseded_at = models.DateTimeField(null=True, blank=True, help_text="When a renewal replaced it.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(max_length=500, blank=True)
    reminded_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The smallest lead time (days before expiry) reminded already.",
    )
    expiry_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # --- renewal by retake: what earned it (``certifications.renewal``) ---
    earned_by = models.CharField(
        max_length=16,
        choices=EarnedBy.choices,
        blank=True,
        editable=False,
        help_text="The full path, or the renewal rule that renewed (or re-earned) it; blank for older ones.",
    )

    class Meta:
        ordering = ["-issued_at"]
        permissions = [("revoke_certificate", "Can revoke certificates")]
        constraints = [
            # Exactly one current certificate per holder and certification, whatever races.
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(superseded_at__isnull=True),
                name="certificate_one_current_per_user",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")), name="certificate_expires_after_issue"
            ),
        ]

    def __str__(self):
        return f"{self.certification} — {self.user.get_full_name() or self.user}"

    def status_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return self.Status.REVOKED
        if self.superseded_at:
            return self.Status.RENEWED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        if (self.expires_at - now).days < self.certification.renewal_window_days:
            return self.Status.EXPIRING
        return self.Status.ACTIVE

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def renewal_opens_at(self):
        """The start of the renewal window, ``renewal_window_days`` before expiry."""
        return self.expires_at - timedelta(days=self.certification.renewal_window_days)

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label


class TierRequirement(models.Model):
    """What a tier demands: at least ``minimum_holders`` staff of the partner holding this certification."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="certification_requirements")
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="tier_requirements")
    minimum_holders = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])

    panels = [FieldPanel("tier"), FieldPanel("certification"), FieldPanel("minimum_holders")]

    class Meta:
        ordering = ["tier__rank", "certification__title"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "certification"], name="tier_requirement_once_per_certification")
        ]

    def __str__(self):
        return f"{self.tier}: at least {self.minimum_holders} holding {self.certification}"


class ComplianceAlert(models.Model):
    """A partner found below its tier's certification requirements by the daily check.

    Open (``resolved_at`` empty) while the partner stays below; the check resolves it when
    the partner meets its tier again, moves to another tier, or is deactivated. At most one
    open alert per partner, so the channel manager is told once per fall, not every day.
    Alerts never change a tier: people decide that.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="compliance_alerts")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+", help_text="The tier it fell below.")
    raised_at = models.DateTimeField(default=timezone.now)
    gaps = models.JSONField(
        default=list, help_text="The requirements not met: certification, required and holders, as last checked."
    )
    checked_at = models.DateTimeField(default=timezone.now, help_text="When the daily check last saw it.")
    notified_to = models.JSONField(default=list, blank=True, help_text="Who was e-mailed when it was raised.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=Q(resolved_at__isnull=True), name="compliance_alert_one_open_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner} below {self.tier}"

    @property
    def gaps_text(self) -> str:
        return "; ".join(f"{g['certification']}: {g['holders']} of {g['required']}" for g in self.gaps)
