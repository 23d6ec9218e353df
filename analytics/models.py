"""The daily rollups the worker keeps, and the weights of the partner score.

Each rollup table holds one row per day and subject (a user, a partner, an item, a search term): a
day is a calendar day in the hub's time zone (``TIME_ZONE``). Rows are written only by
``analytics.services.rollups`` (a day is rolled up again as a whole: delete and insert, in one
transaction), never edited; the admin reads them through ``analytics.selectors``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class RollupQuerySet(models.QuerySet):
    def between(self, start, end):
        """Rows of the days from ``start`` to ``end``, both included."""
        return self.filter(day__gte=start, day__lte=end)

    def of_real_partners(self):
        """Rows of partners that are not test partners (``Partner.is_test``)."""
        return self.filter(partner__is_test=False)


class DailyUserActivity(models.Model):
    """What one partner user did on one day: a row exists only when they did something (an active user)."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    sign_ins = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    acknowledgements = models.PositiveIntegerField(default=0)
    learning = models.PositiveIntegerField(default=0, help_text="Enrolments, lessons done and quiz attempts.")

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = "daily user activity"
        verbose_name_plural = "daily user activity"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="dailyuseractivity_once")]
        indexes = [models.Index(fields=["partner", "day"], name="dailyuseractivity_partner_day")]

    def __str__(self):
        return f"{self.user_id} on {self.day}"


class DailyPartnerActivity(models.Model):
    """One partner's day: how many of its users were active and what they did (a row only for a day with any)."""

    day = models.DateField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    active_users = models.PositiveIntegerField(default=0)
    sign_ins = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    searches_without_results = models.PositiveIntegerField(default=0)
    acknowledgements = models.PositiveIntegerField(default=0)
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    certificates_issued = models.PositiveIntegerField(default=0)
    certificates_expiring = models.PositiveIntegerField(
        default=0, help_text="Certificates held that day that expire within the next 30 days."
    )

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = "daily partner activity"
        verbose_name_plural = "daily partner activity"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "partner"], name="dailypartneractivity_once")]
        indexes = [models.Index(fields=["partner", "day"], name="dailypartneractivity_p_day")]

    def __str__(self):
        return f"{self.partner_id} on {self.day}"


class PartnerWindowActivity(models.Model):
    """How many of a partner's users were active in the ``window_days`` days ending on ``day`` (a row only when any).

    Distinct users cannot be added up from days, but they can across partners (a user belongs to
    one): the dashboard's active users and partners of a 7, 30, 90 or 365-day period, and of each
    week of a long chart, are sums of these rows instead of a distinct count over every day's users.
    """

    day = models.DateField()
    window_days = models.PositiveSmallIntegerField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    active_users = models.PositiveIntegerField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "window_days", "partner"], name="partnerwindowactivity_once")
        ]

    def __str__(self):
        return f"{self.partner_id}: {self.active_users} active in the {self.window_days} days to {self.day}"


class DailyContentActivity(models.Model):
    """What one partner did with one item (asset, program, bulletin, course) on one day."""

    day = models.DateField()
    kind = models.CharField(max_length=20, help_text="asset, program, bulletin or course.")
    item_id = models.PositiveBigIntegerField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey("partners.Tier", null=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("partners.Region", null=True, on_delete=models.SET_NULL, related_name="+")
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0, help_text="Times shown in search results.")
    clicks = models.PositiveIntegerField(default=0, help_text="Times opened from search results.")

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = "daily content activity"
        verbose_name_plural = "daily content activity"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "item_id", "partner"], name="dailycontentactivity_once")
        ]
        indexes = [models.Index(fields=["kind", "item_id", "day"], name="dailycontentactivity_item_day")]

    def __str__(self):
        return f"{self.kind} {self.item_id} by {self.partner_id} on {self.day}"


class ContentPeriodActivity(models.Model):
    """An item's totals over a preset period (7, 30, 90 or 365 days) ending on ``day``, per tier, region and
    whether the partners are test partners: what Content performance lists for a preset period, so that a year
    is a row per item and group rather than per item, partner and day. Written by the rollup of ``day``.

    ``partners`` (distinct partners) adds up across groups, as a partner has one tier and region (one that
    changed them within the period counts in both groups).
    """

    day = models.DateField()
    period_days = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    tier = models.ForeignKey("partners.Tier", null=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("partners.Region", null=True, on_delete=models.SET_NULL, related_name="+")
    test_partners = models.BooleanField(default=False)
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    partners = models.PositiveIntegerField(default=0)
    partners_shown = models.PositiveIntegerField(default=0, help_text="Partners who saw it in search results.")

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["day", "period_days", "kind"], name="contentperiod_day_period")]

    def __str__(self):
        return f"{self.kind} {self.item_id}: {self.period_days} days to {self.day}"


class DailySearchTerm(models.Model):
    """How often one partner's users searched for one (normalised) text on one day, and what came of it."""

    day = models.DateField()
    normalized = models.CharField(max_length=200)
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    searches = models.PositiveIntegerField(default=0)
    without_results = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    objects = RollupQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "normalized", "partner"], name="dailysearchterm_once")]

    def __str__(self):
        return f"“{self.normalized}” on {self.day}"


class PartnerScore(models.Model):
    """A partner's scorecard facts on one day, over the 90 days up to it, and its component scores (0 to 100).

    The score itself is computed when read, from the components and today's weights
    (``ScorecardWeights``), so that a change of weights applies to the whole trend at once.
    A component is empty when it does not apply (no enrolments, no tier requirements, no
    bulletins to acknowledge): the score is then weighed over the others.
    """

    day = models.DateField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    members = models.PositiveIntegerField(default=0)
    active_users = models.PositiveIntegerField(default=0, help_text="Users active in the 90 days.")
    sign_ins = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    last_active_on = models.DateField(null=True, blank=True)
    enrolments = models.PositiveIntegerField(default=0, help_text="Current enrolments of its users.")
    completions = models.PositiveIntegerField(default=0, help_text="Courses completed in the 90 days.")
    overdue = models.PositiveIntegerField(default=0, help_text="Assigned courses past their due date, not completed.")
    tier_met = models.BooleanField(null=True, help_text="Meets its tier's certification requirements (empty: none).")
    tier_falls_below_within = models.PositiveIntegerField(null=True, blank=True, help_text="Days: 30, 60 or 90.")
    certifications_held = models.PositiveIntegerField(default=0, help_text="Holders counted against requirements.")
    certifications_required = models.PositiveIntegerField(default=0)
    bulletins_required = models.PositiveIntegerField(default=0, help_text="Bulletins times users to acknowledge.")
    bulletins_acknowledged = models.PositiveIntegerField(default=0)
    engagement = models.FloatField(null=True, blank=True)
    learning = models.FloatField(null=True, blank=True)
    certification = models.FloatField(null=True, blank=True)
    bulletins = models.FloatField(null=True, blank=True)

    objects = RollupQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "partner"], name="partnerscore_once")]
        indexes = [models.Index(fields=["partner", "day"], name="partnerscore_partner_day")]

    def __str__(self):
        return f"{self.partner_id} on {self.day}"


class RollupRun(models.Model):
    """A day rolled up: when, how long it took, and whether the day was over then (a final figure)."""

    day = models.DateField(unique=True)
    finished_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    complete = models.BooleanField(default=False, help_text="Rolled up after the day ended: its figures are final.")

    class Meta:
        default_permissions = ()
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} rolled up at {self.finished_at:%Y-%m-%d %H:%M}"


WEIGHT = [MinValueValidator(0), MaxValueValidator(100)]


@register_setting(icon="pick")
class ScorecardWeights(BaseGenericSetting):
    """How much each part counts in a partner's score: set by the channel team (Settings → Scorecard weights)."""

    engagement = models.PositiveSmallIntegerField(
        default=40, validators=WEIGHT, help_text="Share of its users active in the last 90 days."
    )
    learning = models.PositiveSmallIntegerField(
        default=25, validators=WEIGHT, help_text="Share of its users' courses completed or on track (not overdue)."
    )
    certification = models.PositiveSmallIntegerField(
        default=25, validators=WEIGHT, help_text="Certified holders against its tier's requirements."
    )
    bulletins = models.PositiveSmallIntegerField(
        default=10, validators=WEIGHT, help_text="Required bulletins its users acknowledged."
    )
    inactive_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A partner with no activity for this many days is listed as an exception.",
    )

    panels = [
        HelpPanel(
            content="Each partner's score is the weighted average of the parts that apply to it (0 to 100 each); "
            "a part with nothing to measure (no courses, tier requirements or bulletins to acknowledge) is left out. "
            "Weights apply to the whole trend at once."
        ),
        MultiFieldPanel(
            [FieldPanel("engagement"), FieldPanel("learning"), FieldPanel("certification"), FieldPanel("bulletins")],
            heading="Weights",
        ),
        FieldPanel("inactive_days"),
    ]

    class Meta:
        verbose_name = "scorecard weights"
        verbose_name_plural = "scorecard weights"

    def clean(self):
        if not any((self.engagement, self.learning, self.certification, self.bulletins)):
            raise ValidationError("Give at least one part a weight above 0.")

    def as_dict(self) -> dict[str, int]:
        return {
            "engagement": self.engagement,
            "learning": self.learning,
            "certification": self.certification,
            "bulletins": self.bulletins,
        }
