"""The portal's editor-managed parts: the home page (root of the page tree), the branding, the links hub.

``HomePage`` is the page partners land on at ``/``: to anyone signed out, a landing with the sign-in; to a
partner user, the portal's home (the editors' banner and featured assets and courses, then their feed). The
banners (``HomeBanner``) carry an audience and dates; featured items are library assets and courses, each
shown only to those the audience rule lets see it (the API's selectors). ``PortalBranding`` (Settings →
Portal branding) gives the portal, its e-mails and its certificates the vendor's name, logo and colours.
``PortalLink`` (Portal → Links hub) is one of the links to the partner's other systems, audience-gated.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms.selectors import assets_for_partner, attach_summary_relations
from courses.selectors import courses_for_partner
from partners.audience import AudienceMixin, AudienceQuerySet
from partners.panels import audience_panel

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour as #RRGGBB, e.g. #3a4fd8.")
#: WCAG 2.1 AA: white text on the brand colour must be readable (contrast 4.5:1 or more).
MIN_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of ``#RRGGBB``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


#: At most this many featured assets and featured courses on the home page (the admin allows no more).
MAX_FEATURED = 8


class HomePage(Page):
    """The single root page of the site: the portal's home, with what the editors put at its top."""

    intro = RichTextField(blank=True, help_text="Shown to visitors who are not signed in, above the sign-in.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "banners",
            heading="Campaign banners",
            label="Banner",
            help_text="Partners see the first banner (in this order) that is running and meant for them, above "
            "their feed. Give a launch for Gold partners its audience and put a banner for everyone after it.",
        ),
        InlinePanel(
            "featured_assets",
            heading="Featured assets",
            label="Featured asset",
            max_num=MAX_FEATURED,
            help_text="Library assets to put forward. Each partner sees only those their audience allows.",
        ),
        InlinePanel(
            "featured_courses",
            heading="Featured courses",
            label="Featured course",
            max_num=MAX_FEATURED,
            help_text="Courses to put forward. Each partner sees only those their audience allows.",
        ),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def serve(self, request, *args, **kwargs):
        from .views.home import serve_home  # the portal's views read other apps: imported when serving

        return serve_home(request, page=self)

    # --- what one partner user sees of the editors' part (each read a fixed number of queries) ---------

    def banner_for(self, *, user):
        """The first banner running now whose audience includes ``user`` (one query), or ``None``."""
        return HomeBanner.objects.showing(page=self, user=user).first()

    def featured_assets_for(self, *, user, limit: int = MAX_FEATURED) -> list:
        """The featured assets ``user`` may see, in the editors' order, ready for asset cards (three queries)."""
        order = HomeFeaturedAsset.objects.filter(page=self, asset=OuterRef("pk")).order_by("sort_order")
        assets = (
            assets_for_partner(user=user)
            .annotate(feature_order=Subquery(order.values("sort_order")[:1]))
            .filter(pk__in=HomeFeaturedAsset.objects.filter(page=self).values("asset_id"))
            .order_by(models.F("feature_order").asc(nulls_last=True), "pk")
        )
        return attach_summary_relations(assets[:limit])

    def featured_courses_for(self, *, user, limit: int = MAX_FEATURED) -> list:
        """The featured courses ``user`` may see, in the editors' order (one query)."""
        order = HomeFeaturedCourse.objects.filter(page=self, course=OuterRef("pk")).order_by("sort_order")
        courses = (
            courses_for_partner(user=user)
            .annotate(feature_order=Subquery(order.values("sort_order")[:1]))
            .filter(pk__in=HomeFeaturedCourse.objects.filter(page=self).values("course_id"))
            .order_by(models.F("feature_order").asc(nulls_last=True), "pk")
        )
        return list(courses[:limit])


def validate_link_target(value: str) -> None:
    """A path on this site (``/programs/3/``) or an http(s) URL elsewhere; nothing else (no ``javascript:``)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class HomeBannerQuerySet(AudienceQuerySet):
    def showing(self, *, page, user):
        """The banners of ``page`` running now that ``user`` may see, in the editors' order."""
        return self.filter(page=page).visible_to(user).select_related("image").order_by("sort_order", "pk")


class HomeBanner(AudienceMixin, Orderable, ClusterableModel):
    """A launch or campaign banner at the top of partners' home, for its audience, between its dates."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="banners")
    heading = models.CharField(max_length=120)
    text = models.TextField(max_length=400, blank=True, help_text="One or two sentences under the heading.")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional; shown beside the text on wide screens and above it on phones. Decorative: say what "
        "matters in the heading and text.",
    )
    cta_url = models.CharField(
        "call-to-action link",
        max_length=500,
        blank=True,
        validators=[validate_link_target],
        help_text="A path on the portal (/programs/3/) or a full https:// address.",
    )
    cta_label = models.CharField(
        "call-to-action label", max_length=40, blank=True, help_text="The button's words, e.g. 'Join the program'."
    )
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Blank: shown from when the page is published.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Blank: shown until removed.")

    objects = HomeBannerQuerySet.as_manager()

    panels = [
        FieldPanel("heading"),
        FieldPanel("text"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("cta_url"), FieldPanel("cta_label")], heading="Call to action"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
        audience_panel(
            help_text="Empty lists mean everyone; a partner user sees the banner when every condition holds."
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "home banner"

    def __str__(self):
        return self.heading

    def clean(self):
        super().clean()
        if bool(self.cta_url) != bool(self.cta_label):
            field = "cta_label" if self.cta_url else "cta_url"
            raise ValidationError({field: "A call to action needs both its link and its label."})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The banner must end after it starts."})

    @classmethod
    def live_q(cls, *, now=None) -> Q:
        now = now or timezone.now()
        return (Q(starts_at__isnull=True) | Q(starts_at__lte=now)) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))

    def is_live_for_partners(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (self.starts_at is None or self.starts_at <= now) and (self.ends_at is None or self.ends_at > now)


class HomeFeaturedAsset(Orderable):
    """A library asset the editors put forward on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_assets")
    asset = models.ForeignKey("cms.Asset", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("asset")]

    class Meta(Orderable.Meta):
        verbose_name = "featured asset"

    def __str__(self):
        return str(self.asset)


class HomeFeaturedCourse(Orderable):
    """A course the editors put forward on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_courses")
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = "featured course"

    def __str__(self):
        return str(self.course)


@register_setting(icon="image")
class PortalBranding(BaseGenericSetting):
    """The vendor's name, logo and colours on the portal, the sign-in pages and certificates."""

    name = models.CharField(
        max_length=80, default="Partner Hub", help_text="The portal's name in its header, page titles and e-mails."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header (40 px high) and on certificates; without one, the name's initials.",
    )
    primary_colour = models.CharField(
        max_length=7,
        default="#3a4fd8",
        validators=[HEX_COLOUR],
        help_text="Buttons, links and highlights; white text on it must stay readable (WCAG AA).",
    )
    accent_colour = models.CharField(
        max_length=7, default="#7a5af5", validators=[HEX_COLOUR], help_text="The second colour of the logo mark."
    )
    support_email = models.EmailField(blank=True, help_text="Where partners write for help; shown in the footer.")

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading="Colours"),
        FieldPanel("support_email"),
    ]

    class Meta:
        verbose_name = "portal branding"

    def __str__(self):
        return self.name

    @property
    def initials(self) -> str:
        words = re.findall(r"[A-Za-z0-9]+", self.name) or ["P"]
        return "".join(word[0] for word in words[:2]).upper()

    def clean(self):
        if (
            HEX_COLOUR.regex.match(self.primary_colour or "")
            and contrast_with_white(self.primary_colour) < MIN_CONTRAST
        ):
            raise ValidationError(
                {
                    "primary_colour": f"White text on {self.primary_colour} has a contrast of "
                    f"{contrast_with_white(self.primary_colour):.1f}:1; pick a darker colour (4.5:1 or more)."
                }
            )


class PortalLinkIcon(models.TextChoices):
    DEALS = "deals", "Deal registration"
    FUNDS = "funds", "Funds and claims (MDF)"
    ORDERS = "orders", "Ordering"
    SUPPORT = "support", "Support"
    TRAINING = "training", "Training"
    DOCUMENTS = "documents", "Documents"
    CHART = "chart", "Reports"
    LINK = "link", "Other"


class PortalLinkQuerySet(AudienceQuerySet):
    def for_hub(self, *, user):
        """The links ``user`` may see, in the editors' order (one query)."""
        return self.visible_to(user).order_by("sort_order", "title")


class PortalLink(AudienceMixin, ClusterableModel):
    """A link of the links hub to one of the partner's other systems, for the audience it is meant for."""

    title = models.CharField(max_length=100)
    description = models.CharField(max_length=240, blank=True)
    url = models.URLField("URL", max_length=500, help_text="Opens in the same tab; https:// unless it is internal.")
    icon = models.CharField(max_length=16, choices=PortalLinkIcon.choices, default=PortalLinkIcon.LINK)
    sort_order = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first.")
    is_active = models.BooleanField(default=True, help_text="Inactive links are shown to nobody.")

    objects = PortalLinkQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("description"), FieldPanel("url"), FieldPanel("icon")], heading="Link"
        ),
        MultiFieldPanel([FieldPanel("sort_order"), FieldPanel("is_active")], heading="Display"),
        audience_panel(
            help_text="Empty lists mean everyone; a partner user sees the link when every condition holds."
        ),
    ]

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = "portal link"

    def __str__(self):
        return self.title

    @classmethod
    def live_q(cls):
        return models.Q(is_active=True)

    def is_live_for_partners(self) -> bool:
        return self.is_active
