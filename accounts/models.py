"""Identity data: the sign-in audit.

``SignInEvent`` is one line of the sign-in audit: a sign-in that succeeded or failed, a
sign-out, a lock-out, an SSO error, an MFA change, an invitation's life, access revoked, a
password reset. Rows are written only by ``accounts.services.sign_in_event_record`` (from the
receivers in ``accounts.signals``), never edited, and deleted after ``SIGN_IN_AUDIT_DAYS``.

What is kept is what an investigation needs and nothing secret: who (the user, or for a
failure the identifier as typed), for which partner (as it was then), who did it (the actor
of an administrator's action), from where (client address, user agent), how (method) and a
short detail. Never a password, a token or a code.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from partners.models import Partner

IDENTIFIER_MAX_LENGTH = 254
USER_AGENT_MAX_LENGTH = 300
DETAIL_MAX_LENGTH = 300


class SignInEventType(models.TextChoices):
    """What happened. Apps sending ``core.signals.identity_event`` use these values as its ``event``."""

    SIGN_IN_SUCCEEDED = "sign_in.succeeded", "Sign-in succeeded"
    SIGN_IN_FAILED = "sign_in.failed", "Sign-in failed"
    SIGNED_OUT = "sign_in.signed_out", "Signed out"
    LOCKED_OUT = "sign_in.locked_out", "Locked out"
    SSO_ERROR = "sso.error", "SSO error"
    MFA_ENABLED = "mfa.enabled", "MFA enabled"
    MFA_DISABLED = "mfa.disabled", "MFA disabled"
    MFA_RESET = "mfa.reset", "MFA reset"
    INVITATION_SENT = "invitation.sent", "Invitation sent"
    INVITATION_RESENT = "invitation.resent", "Invitation resent"
    INVITATION_REVOKED = "invitation.revoked", "Invitation revoked"
    INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"
    ACCESS_REVOKED = "access.revoked", "Access revoked"
    ACCESS_RESTORED = "access.restored", "Access restored"
    API_TOKEN_CREATED = "api_token.created", "API token created"
    API_TOKEN_REVOKED = "api_token.revoked", "API token revoked"
    PASSWORD_RESET_REQUESTED = "password_reset.requested", "Password reset requested"
    PASSWORD_RESET_DONE = "password_reset.done", "Password reset done"


#: Events that are a problem to look at: shown as such in the report.
PROBLEM_EVENTS = frozenset(
    {
        SignInEventType.SIGN_IN_FAILED,
        SignInEventType.LOCKED_OUT,
        SignInEventType.SSO_ERROR,
        SignInEventType.ACCESS_REVOKED,
    }
)


class SignInMethod(models.TextChoices):
    """How the user proved who they are (blank when that does not apply, e.g. an invitation sent)."""

    PASSWORD = "password", "Password"
    SSO = "sso", "Single sign-on"
    CODE = "code", "E-mailed code"
    PASSKEY = "passkey", "Passkey"
    TOKEN = "token", "Token"
    ADMIN = "admin", "Administrator"
    SYSTEM = "system", "Automatic"


class SignInEvent(models.Model):
    """One line of the sign-in audit (see the module's docstring)."""

    at = models.DateTimeField("when", default=timezone.now)
    event = models.CharField(max_length=32, choices=SignInEventType.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
        db_index=False,  # the (user, at) index serves it
        help_text="Who it is about; empty for a failure with an unknown identifier.",
    )
    identifier = models.CharField(
        max_length=IDENTIFIER_MAX_LENGTH,
        blank=True,
        help_text="The e-mail address or username as typed (a failure), or the user's e-mail address then.",
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
        db_index=False,  # the (partner, at) index serves it
        help_text="The user's partner at the time; empty for staff and unknown identifiers.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it, when it was someone else (an administrator, a partner admin).",
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True)
    method = models.CharField(max_length=16, choices=SignInMethod.choices, blank=True)
    detail = models.CharField(max_length=DETAIL_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "sign-in event"
        verbose_name_plural = "sign-in events"
        ordering = ["-at", "-pk"]
        # Written by code only: the one permission to grant is seeing them (the report).
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["-at"], name="signin_at_idx"),
            models.Index(fields=["event", "-at"], name="signin_event_at_idx"),
            models.Index(fields=["partner", "-at"], name="signin_partner_at_idx"),
            models.Index(fields=["user", "-at"], name="signin_user_at_idx"),
            models.Index(fields=["ip_address", "-at"], name="signin_ip_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()}: {self.identifier or self.user_id or '?'} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_problem(self) -> bool:
        return self.event in PROBLEM_EVENTS
