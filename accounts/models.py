"""Identity data: single sign-on connections and the sign-in audit.

``SSOConnection`` is one identity provider (OIDC or SAML 2.0) of one partner, or of the
vendor's staff: where it is, how the hub is known to it, the e-mail domains it owns
(``SSOEmailDomain``: users of those domains sign in only there) and how its groups become
our roles or staff groups (``SSORoleMapping``). ``accounts.sso`` turns each active row into
an allauth app; the client secret is stored encrypted or named as an environment variable.

``SignInEvent`` is one line of the sign-in audit: a sign-in that succeeded or failed, a
sign-out, a lock-out, an SSO error, an MFA change, an invitation's life, access revoked, a
password reset. Rows are written only by ``accounts.services.sign_in_event_record`` (from the
receivers in ``accounts.signals``), never edited, and deleted after ``SIGN_IN_AUDIT_DAYS``.

What is kept is what an investigation needs and nothing secret: who (the user, or for a
failure the identifier as typed), for which partner (as it was then), who did it (the actor
of an administrator's action), from where (client address, user agent), how (method) and a
short detail. Never a password, a token or a code.

``UserPreferences`` is what a user chooses for themselves (Profile): their language, and which e-mails they get
(``accounts.preferences``).
"""

import os
import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from encrypted_fields.fields import EncryptedCharField

from partners.models import Partner, Role

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
    SSO_REFUSED = "sso.refused", "SSO sign-in refused"
    SSO_USER_CREATED = "sso.user_created", "User created by SSO"
    MFA_ENABLED = "mfa.enabled", "MFA enabled"
    MFA_DISABLED = "mfa.disabled", "MFA disabled"
    MFA_RESET = "mfa.reset", "MFA reset"
    MFA_RECOVERY_CODES = "mfa.recovery_codes", "Recovery codes regenerated"
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
        SignInEventType.SSO_REFUSED,
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


# --- Single sign-on -----------------------------------------------------------------------------

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
ENV_NAME_VALIDATOR = RegexValidator(r"^[A-Z_][A-Z0-9_]*$", "An environment variable name: capitals, digits, _.")


class SSOProtocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class SSOConnectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class SSOConnection(ClusterableModel):
    """One identity provider: a partner's (its users only) or, without a partner, the vendor's staff's."""

    name = models.CharField(max_length=200, help_text="What users see on the button, e.g. “Acme Networks SSO”.")
    slug = models.SlugField(
        max_length=64,
        unique=True,
        help_text="In the URLs the identity provider calls back: /accounts/oidc/sso-SLUG/… or /accounts/saml/SLUG/….",
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sso_connections",
        help_text="Whose users sign in here; they are created in this partner only. Empty: the vendor's staff.",
    )
    protocol = models.CharField(max_length=8, choices=SSOProtocol.choices, default=SSOProtocol.OIDC)
    is_active = models.BooleanField(
        default=True, help_text="Inactive: its domains sign in with a password again, and its IdP is not asked."
    )
    issuer = models.URLField(
        "issuer (OIDC)",
        blank=True,
        help_text="The OpenID Connect issuer; its discovery document is ISSUER/.well-known/openid-configuration.",
    )
    client_id = models.CharField("client ID (OIDC)", max_length=255, blank=True)
    client_secret = EncryptedCharField(
        "client secret (OIDC)",
        max_length=500,
        blank=True,
        null=True,  # the encrypted field stores "no secret" as NULL
        help_text="Stored encrypted and never shown again; leave empty to keep the one stored.",
    )
    client_secret_env = models.CharField(
        "client secret from the environment (OIDC)",
        max_length=100,
        blank=True,
        validators=[ENV_NAME_VALIDATOR],
        help_text="Instead of a stored secret: the name of an environment variable that holds it.",
    )
    idp_metadata_url = models.URLField(
        "IdP metadata URL (SAML)", blank=True, help_text="The identity provider's SAML metadata (descriptor)."
    )
    idp_entity_id = models.CharField("IdP entity ID (SAML)", max_length=255, blank=True)
    sp_entity_id = models.CharField(
        "hub's entity ID (SAML)",
        max_length=255,
        blank=True,
        help_text="How the identity provider knows the hub (its client ID there); empty: the hub's metadata URL.",
    )
    groups_claim = models.CharField(
        max_length=100,
        default="groups",
        help_text="The claim (OIDC) or attribute (SAML) that lists the user's groups, mapped below to roles.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SSOConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "single sign-on connection"

    def __str__(self):
        return self.name

    @property
    def provider_id(self) -> str:
        """allauth's id of this connection's app (OIDC: the URL segment; SAML: the organisation slug is ``slug``)."""
        return f"sso-{self.slug}"

    @property
    def for_staff(self) -> bool:
        return self.partner_id is None

    def secret(self) -> str:
        """The OIDC client secret: from the environment variable when one is named, else the stored one."""
        if self.client_secret_env:
            return os.environ.get(self.client_secret_env, "")
        return self.client_secret or ""

    def clean(self):
        errors = {}
        if self.protocol == SSOProtocol.OIDC:
            for field in ("issuer", "client_id"):
                if not getattr(self, field):
                    errors[field] = "Required for OpenID Connect."
            if self.client_secret_env and not os.environ.get(self.client_secret_env):
                errors["client_secret_env"] = f"{self.client_secret_env} is not set in the hub's environment."
            elif not self.client_secret_env and not self.client_secret:
                errors["client_secret"] = "Give the client secret, or the environment variable that holds it."  # noqa: S105
        else:
            for field in ("idp_metadata_url", "idp_entity_id"):
                if not getattr(self, field):
                    errors[field] = "Required for SAML 2.0."
        if errors:
            raise ValidationError(errors)


class SSOEmailDomain(Orderable):
    """An e-mail domain a connection owns: its users sign in only through that connection."""

    connection = ParentalKey(SSOConnection, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="e.g. acme-networks.example (one connection per domain).",
        error_messages={"unique": "Another single sign-on connection already owns this domain."},
    )

    panels = [FieldPanel("domain")]

    class Meta(Orderable.Meta):
        verbose_name = "e-mail domain"
        default_permissions = ()  # edited within their connection

    def __str__(self):
        return self.domain

    def clean(self):
        self.domain = (self.domain or "").strip().lower().lstrip("@")
        if not DOMAIN_PATTERN.match(self.domain):
            raise ValidationError({"domain": "Enter a domain name such as acme-networks.example."})


class SSORoleMapping(Orderable):
    """An IdP group that gives a partner role (a partner's connection) or a staff group (the vendor's)."""

    connection = ParentalKey(SSOConnection, on_delete=models.CASCADE, related_name="role_mappings")
    idp_group = models.CharField("IdP group", max_length=255, help_text="The group's name as the IdP sends it.")
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="For a partner's IdP."
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="staff group",
        help_text="For the vendor's IdP: a Wagtail group (Editors, Moderators…).",
    )

    panels = [FieldPanel("idp_group"), FieldPanel("role"), FieldPanel("group")]

    class Meta(Orderable.Meta):
        verbose_name = "group mapping"
        default_permissions = ()  # edited within their connection

    def __str__(self):
        return f"{self.idp_group} → {self.role or self.group}"

    def clean(self):
        self.idp_group = (self.idp_group or "").strip()
        if (self.role_id is None) == (self.group_id is None):
            raise ValidationError("Map the IdP group to a partner role or to a staff group: one of the two.")
        connection = getattr(self, "connection", None)
        if connection is not None and self.group_id is not None and not connection.for_staff:
            raise ValidationError({"group": "A partner's IdP gives partner roles, never staff groups."})
        if connection is not None and self.role_id is not None and connection.for_staff:
            raise ValidationError({"role": "The vendor's IdP gives staff groups; partner roles come from partners'."})


def language_available(value: str) -> None:
    """A language of ``settings.LANGUAGES`` (read when validating: no migration when the list changes)."""
    if value and value not in dict(settings.LANGUAGES):
        raise ValidationError("Choose one of the hub's languages.", code="invalid_language")


class UserPreferences(models.Model):
    """One user's own choices: the language of the pages and of content, and which e-mails they get.

    A user without a row has the defaults: the browser's language and every e-mail. Read and written by
    ``accounts.preferences``; the senders of those e-mails filter on ``preferences.wants_email``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="preferences"
    )
    language = models.CharField(
        max_length=16,
        blank=True,
        validators=[language_available],
        help_text="The language of the portal's pages and the content variant shown first; empty: the browser's.",
    )
    email_asset_updates = models.BooleanField(
        "e-mail: assets I downloaded were updated", default=True, help_text="The digest of new asset versions."
    )
    email_course_reminders = models.BooleanField(
        "e-mail: my courses are due", default=True, help_text="Reminders before an assigned course is due."
    )
    email_certificate_reminders = models.BooleanField(
        "e-mail: certificates expire",
        default=True,
        help_text="Before a certificate expires and when it has: mine, and as a partner admin my colleagues'.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "user preferences"
        verbose_name_plural = "user preferences"
        default_permissions = ()

    def __str__(self) -> str:
        return f"Preferences of user {self.user_id}"
