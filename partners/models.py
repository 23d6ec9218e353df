"""Partner organisations and the classifications the audience rule is made of.

``Tier``, ``PartnerType``, ``Region`` and ``Role`` are reference data keyed by a
stable ``key`` (the import manifest's identifier). A ``Partner`` is an
organisation; a ``PartnerMembership`` ties one user to exactly one partner with
zero or more roles.
API tokens are Wagtail's own ``wagtail.models.APIToken`` (hashed, revocable, audited).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from core.models import KeyedModel


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
    channel_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="The staff member who looks after this partner; told when it falls below its tier.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("key")], heading="Organisation"),
        MultiFieldPanel(
            [FieldPanel("tier"), FieldPanel("partner_type"), FieldPanel("region")], heading="Classification"
        ),
        FieldPanel("channel_manager"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="partner_name_lower_idx")]

    def __str__(self):
        return self.name


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
