"""A learner's results in the learning packages of lessons (the ``package`` lesson block).

``PackageResult``: one row per learner, lesson, package and unit (blank: the whole package), kept up to
date from the package's runtime (``core.signals.package_attempt_updated``): the latest attempt, whether
it is completed and passed, its score and the best score so far, and when the block's completion rule
was first met (then the lesson was completed). Reports and the learner's progress read it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .courses import Lesson


class PackageResultQuerySet(models.QuerySet):
    def of(self, *, user, lesson_ids):
        """``user``'s results in these lessons, in their current round of each course."""
        return self.filter(user=user, lesson_id__in=list(lesson_ids), enrollment__is_current=True)


class PackageResult(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.CASCADE,
        related_name="package_results",
        help_text="The round of the course it belongs to: a retake starts with no results.",
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="package_results")
    package = models.ForeignKey("elearning.Package", on_delete=models.CASCADE, related_name="+")
    unit = models.CharField(max_length=255, blank=True, help_text="The SCO / AU the block names; blank: all.")
    attempt = models.ForeignKey(
        "elearning.PackageAttempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed = models.BooleanField(default=False)
    passed = models.BooleanField(null=True, blank=True, help_text="Unknown while the package reports no success.")
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True, help_text="Percent, latest.")
    best_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    rule_met_at = models.DateTimeField(
        null=True, blank=True, help_text="When the block's completion rule was first met (the lesson completed)."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PackageResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson", "package", "unit"], name="package_result_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson} · {self.package}"
