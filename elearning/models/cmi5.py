"""cmi5's records beside the runtime's: a registration per attempt, a session per launch.

- ``Cmi5Registration``: the registration UUID of a ``PackageAttempt`` (cmi5 §9.6.1), kept across its
  launches so a learner resumes on any device; which blocks/course the LMS recorded "satisfied" for and
  which AUs were waived.
- ``Cmi5Session``: one launch of one AU (its ``PackageLaunch``): the session id, the generated activity
  id, what ``LMS.LaunchData`` said (launch mode, mastery score, moveOn), the LRS credential the fetch URL
  handed out (once) and when the session was initialized, terminated or abandoned.

Each AU's results in the registration live in the runtime's ``ScoRuntime`` row of the attempt (``unit`` =
the AU's id): completion, success, score, sessions and time, as for a SCO.
"""

import uuid

from django.db import models
from django.utils import timezone

from .runtime import PackageAttempt, PackageLaunch


class Cmi5Registration(models.Model):
    attempt = models.OneToOneField(PackageAttempt, on_delete=models.CASCADE, related_name="cmi5_registration")
    registration = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    satisfied = models.JSONField(default=list, blank=True, help_text="Activity ids recorded as satisfied.")
    waived = models.JSONField(default=list, blank=True, help_text="AU ids waived by the LMS.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cmi5 registration"

    def __str__(self):
        return f"{self.attempt} · {self.registration}"


class Cmi5Session(models.Model):
    class LaunchMode(models.TextChoices):
        NORMAL = "Normal", "Normal"
        BROWSE = "Browse", "Browse"
        REVIEW = "Review", "Review"

    launch = models.OneToOneField(PackageLaunch, on_delete=models.CASCADE, related_name="cmi5_session")
    registration = models.ForeignKey(Cmi5Registration, on_delete=models.CASCADE, related_name="sessions")
    session_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    unit = models.CharField(max_length=255, help_text="The AU's id in cmi5.xml (its publisher id).")
    activity_id = models.CharField(max_length=2048, help_text="The activity id the hub generated for the AU.")
    launch_mode = models.CharField(max_length=10, choices=LaunchMode.choices, default=LaunchMode.NORMAL)
    mastery_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    move_on = models.CharField(max_length=20)
    return_url = models.CharField(max_length=2048, blank=True, help_text="Where the launcher wants the AU to return.")
    credential = models.OneToOneField(
        "lrs.Credential", null=True, blank=True, on_delete=models.SET_NULL, related_name="cmi5_session"
    )
    launched_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When the fetch URL gave out the token.")
    initialized_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    last_statement_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-launched_at", "-pk"]
        verbose_name = "cmi5 session"

    def __str__(self):
        return f"session {self.session_id}"

    @property
    def is_open(self) -> bool:
        return self.terminated_at is None and self.abandoned_at is None
