"""Credentials of the LRS: a public key and a secret (HTTP Basic ``key:secret``), stored as an HMAC digest.

A launch credential acts for one learner (``user``), is bound to their xAPI agent and, when set, to one
registration and an activity id prefix; it expires. A client credential (no user) is a staff tool's, e.g.
a reporting tool with ``all/read``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Credential(models.Model):
    class Scope(models.TextChoices):
        STATEMENTS_WRITE = "statements/write", "Write statements"
        STATEMENTS_READ_MINE = "statements/read/mine", "Read its own agent's statements"
        STATEMENTS_READ = "statements/read", "Read every statement"
        STATE = "state", "Read and write state documents"
        PROFILE = "profile", "Read and write profile documents"
        ALL_READ = "all/read", "Read everything"
        ALL = "all", "Everything (read, write, void)"

    #: What a credential acting for a learner may be given: never another learner's records, never voiding.
    #: (``profile`` reaches its own agent's profile, and reads the profiles of its own activities.)
    LEARNER_SCOPES = frozenset({"statements/write", "statements/read/mine", "state", "profile"})

    key = models.CharField(max_length=40, unique=True, editable=False, help_text="The public half (Basic user name).")
    secret_hash = models.CharField(max_length=64, editable=False)
    name = models.CharField(max_length=255, blank=True, help_text="What it is for (client credentials).")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lrs_credentials",
        help_text="The learner it acts for; empty for a staff client.",
    )
    agent = models.JSONField(null=True, blank=True, help_text="The xAPI agent it is bound to.")
    agent_ifi = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    registration = models.UUIDField(null=True, blank=True)
    activity_id = models.CharField(
        max_length=2048, blank=True, help_text="The activity it is limited to (that id and the ids below it)."
    )
    scopes = models.JSONField(default=list)
    context = models.CharField(max_length=255, blank=True, help_text="Opaque: set by whoever issued it.")
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "LRS credential"
        verbose_name_plural = "LRS credentials"

    def __str__(self):
        return self.name or f"Credential {self.key}"

    @property
    def is_client(self) -> bool:
        return self.user_id is None

    def is_live(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def covers_activity(self, activity_id: str) -> bool:
        """Is ``activity_id`` within this credential's activity: the id, or one below it (after /, # or ?)."""
        scope = self.activity_id
        if not scope or activity_id == scope:
            return True
        return activity_id.startswith(scope) and (scope[-1] in "/#?" or activity_id[len(scope)] in "/#?")

    def has_scope(self, *scopes: str) -> bool:
        """Has any of ``scopes``; ``all`` has every one."""
        return any(s in self.scopes for s in (*scopes, self.Scope.ALL))
