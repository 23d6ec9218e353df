"""Partner organisations and the classifications the audience rule is made of.

``Tier``, ``PartnerType``, ``Region`` and ``Role`` are reference data keyed by a
stable ``key`` (the import manifest's identifier). A ``Partner`` is an
organisation; a ``PartnerMembership`` ties one user to exactly one partner with
zero or more roles.
API tokens are Wagtail's own ``wagtail.models.APIToken`` (hashed, revocable, audited).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from PIL import Image

from core.models import KeyedModel

from .widgets import PrivateFileInput


class Tier(KeyedModel):
    """A partner-program level; a higher ``rank`` sees everything a lower one sees."""

    rank = models.PositiveIntegerField(
        unique=True,
        validators=[MinValueValidator(0)],
        help_text="Higher ranks see everything lower ranks see (e.g. Registered 10, Silver 20, Gold 30).",
    )

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("rank")]

    class Meta(KeyedModel.Meta):
        ordering = ["rank"]


class AudienceReference(KeyedModel):
    """Reference data that audiences name; refuses deletion while any audience does."""

    class Meta(KeyedModel.Meta):
        abstract = True

    def delete(self, *args, **kwargs):
        from .audience import protect_audience_references

        protect_audience_references(type(self), self)
        return super().delete(*args, **kwargs)


class PartnerType(AudienceReference):
    """The kind of business a partner runs: reseller, distributor, MSP, referral, ISV…"""

    panels = [FieldPanel("name"), FieldPanel("key")]

    class Meta(AudienceReference.Meta):
        verbose_name = "partner type"


class Region(AudienceReference):
    """A sales region: AMER, EMEA, APAC, LATAM…"""

    panels = [FieldPanel("name"), FieldPanel("key")]


#: The key of the role (created by migration 0002) whose holders administer their partner's account.
PARTNER_ADMIN_ROLE = "admin"


class Role(AudienceReference):
    """A job role of a partner user (sales, marketing, technical, admin…)."""

    panels = [FieldPanel("name"), FieldPanel("key")]


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_member_count(self):
        return self.annotate(member_count=models.Count("memberships"))


class PartnerMfaPolicy(models.TextChoices):
    """Whether a partner's users must sign in with a second factor (``accounts.mfa.policy``)."""

    OPTIONAL = "optional", "Optional: each user chooses"
    REQUIRED = "required", "Required for every user"


def logo_storage():
    """Partners' logos live on the private storage (no public URL), like the files they are stamped onto."""
    return storages["private"]


#: The formats a partner's logo may have: what the PDF stamp (fpdf2) places as they are.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000


def validate_logo(file) -> None:
    """A logo is a real PNG or JPEG, at most 2 MB and 4000 px a side (read with Pillow, not trusted by name)."""
    if getattr(file, "_committed", False):
        return
    if file.size is not None and file.size > LOGO_MAX_BYTES:
        raise ValidationError("The logo is larger than 2 MB.", code="logo_too_large")
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, size = image.format, image.size
            image.verify()
    except Exception:
        raise ValidationError("The logo must be a PNG or JPEG image.", code="logo_format") from None
    finally:
        file.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError("The logo must be a PNG or JPEG image.", code="logo_format")
    if max(size) > LOGO_MAX_SIDE:
        raise ValidationError(f"The logo may be at most {LOGO_MAX_SIDE} pixels wide and high.", code="logo_side")


class Partner(models.Model):
    """A partner organisation. Deactivating it locks out all of its users at once."""

    key = models.SlugField(max_length=64, unique=True, help_text="Stable identifier used by imports and the API.")
    name = models.CharField(max_length=200)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="partners")
    partner_type = models.ForeignKey(PartnerType, on_delete=models.PROTECT, related_name="partners")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="partners")
    is_active = models.BooleanField(
        default=True,
        help_text="Inactive partners' users are refused everywhere, API tokens included.",
    )
    is_test = models.BooleanField(
        "test partner",
        default=False,
        help_text="A partner for trying the hub out (demos, training, QA): its users' activity is left out of "
        "analytics unless a report is asked to include it. Its users see the portal as any partner's do.",
    )
    channel_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="The staff member who looks after this partner; told when it falls below its tier.",
    )
    mfa_policy = models.CharField(
        "two-factor authentication",
        max_length=16,
        choices=PartnerMfaPolicy.choices,
        default=PartnerMfaPolicy.OPTIONAL,
        help_text="Required: every user of this partner must set up an authenticator app before anything else.",
    )
    display_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The name stamped on co-branded downloads (the partner's name when empty). "
        "The partner's admins can change it in the portal.",
    )
    logo = models.FileField(
        upload_to="partners/logos/%Y/%m/",
        storage=logo_storage,
        blank=True,
        max_length=255,
        validators=[validate_logo],
        help_text="PNG or JPEG, at most 2 MB: stamped on co-branded downloads. Stored privately.",
    )
    logo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("key")], heading="Organisation"),
        MultiFieldPanel(
            [FieldPanel("tier"), FieldPanel("partner_type"), FieldPanel("region")], heading="Classification"
        ),
        FieldPanel("channel_manager"),
        FieldPanel("mfa_policy"),
        FieldPanel("is_active"),
        FieldPanel("is_test"),
        MultiFieldPanel(
            [FieldPanel("display_name"), FieldPanel("logo", widget=PrivateFileInput)], heading="Co-branding"
        ),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="partner_name_lower_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.logo and not getattr(self.logo, "_committed", True):
            self.logo_sha256 = _digest(self.logo)
        elif not self.logo:
            self.logo_sha256 = ""
        super().save(*args, **kwargs)

    @property
    def cobrand_name(self) -> str:
        """The name stamped on co-branded downloads."""
        return self.display_name.strip() or self.name


def _digest(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def past_last_day(today, *, prefix: str = "") -> models.Q:
    """Memberships whose last day (``leaves_on``) is before ``today``: exclude them to keep current members.

    ``prefix`` reaches the membership from another model, e.g. ``"user__partner_membership__"``.
    """
    return models.Q(**{f"{prefix}leaves_on__lt": today})


class PartnerMembershipQuerySet(models.QuerySet):
    def current(self, *, today=None):
        """Memberships not past their last day: access ends at the end of ``leaves_on``, in ``TIME_ZONE``."""
        return self.exclude(past_last_day(today or timezone.localdate()))


class PartnerMembership(models.Model):
    """A user's membership of exactly one partner, with the roles they hold there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        limit_choices_to={"is_staff": False},
        help_text="Partner users are never staff: editors use the admin, partners the API.",
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    roles = models.ManyToManyField(Role, blank=True, related_name="memberships")
    leaves_on = models.DateField(
        null=True,
        blank=True,
        help_text="Their last day at the partner, once notice is given; compliance forecasts stop counting them then.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PartnerMembershipQuerySet.as_manager()

    panels = [FieldPanel("user"), FieldPanel("partner"), FieldPanel("roles"), FieldPanel("leaves_on")]

    class Meta:
        ordering = ["partner__name", "user__username"]
        verbose_name = "partner user"

    def __str__(self):
        return f"{self.user} @ {self.partner}"


class InvitationQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Invitations that can still be accepted: neither accepted nor revoked, and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def in_state(self, state: str, *, now=None):
        """Invitations in one of ``Invitation.State``'s states."""
        now = now or timezone.now()
        pending = models.Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return self.filter(
            {
                Invitation.State.PENDING: pending & models.Q(expires_at__gt=now),
                Invitation.State.EXPIRED: pending & models.Q(expires_at__lte=now),
                Invitation.State.ACCEPTED: models.Q(accepted_at__isnull=False),
                Invitation.State.REVOKED: models.Q(revoked_at__isnull=False, accepted_at__isnull=True),
            }[state]
        )


class Invitation(models.Model):
    """An invitation to join a partner by e-mail, with the roles the new user will hold.

    Only a SHA-256 digest of the link's token is stored: the plaintext is in the e-mail alone, and
    resending makes a new one (the old link stops working). ``partners.invitations`` writes them.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Who is invited; their new account signs in with this address.")
    roles = models.ManyToManyField(Role, blank=True, related_name="+", help_text="The roles they will hold.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(Lower("email"), name="invitation_email_lower_idx")]

    def __str__(self):
        return f"{self.email} → {self.partner}"

    def state_at(self, now=None) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        return self.State.EXPIRED if self.expires_at <= (now or timezone.now()) else self.State.PENDING

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return self.State(self.state).label


class APITokenExpiry(models.Model):
    """When a personal API token (Wagtail's ``APIToken``) stops working; tokens without one never expire."""

    token = models.OneToOneField(
        "wagtailcore.APIToken", on_delete=models.CASCADE, primary_key=True, related_name="partnerhub_expiry"
    )
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "API token expiry"
        verbose_name_plural = "API token expiries"

    def __str__(self):
        return f"{self.token} expires {self.expires_at:%Y-%m-%d %H:%M}"


class Qualification(KeyedModel):
    """Something a partner user can hold that gated content may require (``partners.qualifications``).

    Kept by the app that knows what it means: certifications keeps one row per certification
    (its key and name) and who holds it (``HeldQualification``). Layers below certifications
    (cms, courses) refer to it without knowing it is a certification.
    """

    class Meta(KeyedModel.Meta):
        pass


class HeldQualificationQuerySet(models.QuerySet):
    def current(self, *, now=None):
        """Held now: no end, or an end still ahead (read time, so a late expiry job never leaves one open)."""
        now = now or timezone.now()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=now))


class HeldQualification(models.Model):
    """One user holds one qualification until ``valid_until``; kept by the qualification's owner app."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_qualifications")
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="holders")
    valid_until = models.DateTimeField(null=True, blank=True)

    objects = HeldQualificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "qualification"], name="held_qualification_once_per_user")
        ]
        indexes = [models.Index(fields=["qualification", "user"], name="held_qualification_by_qual")]

    def __str__(self):
        return f"{self.user} holds {self.qualification}"
