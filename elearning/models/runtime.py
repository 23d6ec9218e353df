"""The SCORM runtime's records: a learner's attempts at a package, each SCO's run-time data, and launches.

- ``PackageAttempt``: one learner, one package, one ``context`` (an opaque string the launcher
  chose, e.g. ``"lesson:12"``; elearning never reads it) and a ``number`` (1, 2, … for retakes).
  It runs on one ``PackageVersion``: a learner mid-way keeps the version they started unless an
  editor moves them (``elearning.services.runtime.attempts_move_to_version``). Its statuses, score
  and time are the aggregate of its SCOs (``elearning.runtime.aggregate``).
- ``ScoRuntime``: the CMI of one SCO in one attempt, exactly as last committed (``cmi``), with the
  columns reports and resume read: statuses, score, location, suspend data, entry/exit, sessions,
  total time, interactions.
- ``PackageLaunch``: the one credential of the player, its content and its commits. Only the SHA-256
  of its 32-byte secret is stored; it expires a short while after its last use (sliding), never
  later than a hard cap after it was made, and can be revoked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .packages import Package, PackageVersion


class CompletionStatus(models.TextChoices):
    NOT_ATTEMPTED = "not attempted", "Not attempted"
    INCOMPLETE = "incomplete", "Incomplete"
    COMPLETED = "completed", "Completed"
    UNKNOWN = "unknown", "Unknown"


class SuccessStatus(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class Scored(models.Model):
    """A score as SCORM reports it: raw within min..max, and scaled (-1..1)."""

    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)

    class Meta:
        abstract = True


class PackageAttemptQuerySet(models.QuerySet):
    def of(self, *, user, package, context: str):
        return self.filter(user=user, package=package, context=context)


class PackageAttempt(Scored):
    """A learner's attempt at a package in one context; its results are the aggregate of its SCOs."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="package_attempts")
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="attempts")
    context = models.CharField(max_length=255, blank=True, help_text="Who launched it, e.g. lesson:12 (opaque).")
    number = models.PositiveIntegerField(default=1)
    version = models.ForeignKey(PackageVersion, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    completion_status = models.CharField(
        max_length=20, choices=CompletionStatus.choices, default=CompletionStatus.NOT_ATTEMPTED
    )
    success_status = models.CharField(max_length=20, choices=SuccessStatus.choices, default=SuccessStatus.UNKNOWN)
    score_percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    total_seconds = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    current_unit = models.CharField(max_length=255, blank=True, help_text="The SCO launched last.")
    started_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)

    objects = PackageAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["user", "package", "context", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "package", "context", "number"], name="package_attempt_number_unique"
            )
        ]
        indexes = [models.Index(fields=["package", "status"], name="package_attempt_status_idx")]

    def __str__(self):
        return f"{self.user} · {self.package} #{self.number}"

    @property
    def is_completed(self) -> bool:
        return self.completion_status == CompletionStatus.COMPLETED

    @property
    def is_passed(self) -> bool | None:
        return {SuccessStatus.PASSED: True, SuccessStatus.FAILED: False}.get(self.success_status)


class ScoRuntime(Scored):
    """One SCO's run-time data in one attempt: the CMI as last committed, and the columns read from it."""

    attempt = models.ForeignKey(PackageAttempt, on_delete=models.CASCADE, related_name="scos")
    unit = models.CharField(max_length=255, help_text="The unit's identifier in the package structure.")
    cmi = models.JSONField(default=dict, blank=True, help_text="The cmi object as the SCO last committed it.")
    lesson_status = models.CharField(max_length=20, blank=True, help_text="SCORM 1.2 cmi.core.lesson_status.")
    completion_status = models.CharField(
        max_length=20, choices=CompletionStatus.choices, default=CompletionStatus.NOT_ATTEMPTED
    )
    success_status = models.CharField(max_length=20, choices=SuccessStatus.choices, default=SuccessStatus.UNKNOWN)
    progress_measure = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    location = models.TextField(blank=True)
    suspend_data = models.TextField(blank=True)
    entry = models.CharField(max_length=20, blank=True, help_text="What the last launch gave the SCO.")
    exit = models.CharField(max_length=20, blank=True, help_text="How the SCO last ended its session.")
    session_count = models.PositiveIntegerField(default=0)
    in_session = models.BooleanField(default=False, help_text="A session committed and has not terminated yet.")
    total_seconds = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    interactions_count = models.PositiveIntegerField(default=0)
    first_commit_at = models.DateTimeField(null=True, blank=True)
    last_commit_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "pk"]
        constraints = [models.UniqueConstraint(fields=["attempt", "unit"], name="sco_runtime_unit_unique")]
        verbose_name = "SCO run-time data"
        verbose_name_plural = "SCO run-time data"

    def __str__(self):
        return f"{self.attempt} · {self.unit}"


class PackageLaunchQuerySet(models.QuerySet):
    def live(self, *, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PackageLaunch(models.Model):
    """A launch of an attempt: the player's only credential (its token), short-lived and revocable."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="package_launches")
    attempt = models.ForeignKey(PackageAttempt, on_delete=models.CASCADE, related_name="launches")
    unit = models.CharField(max_length=255, help_text="The SCO the launch starts at.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PackageLaunchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["attempt", "revoked_at"], name="package_launch_attempt_idx")]

    def __str__(self):
        return f"launch of {self.attempt} at {self.unit}"
