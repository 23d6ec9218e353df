"""The portal's editor-managed parts: the home page (root of the page tree), the branding, the links hub.

``HomePage`` is the page partners land on at ``/``: to anyone signed out, a landing with the sign-in; to a
partner user, the portal's home (the editors' banner, then their feed). ``PortalBranding`` (Settings →
Portal branding) gives the portal, its e-mails and its certificates the vendor's name, logo and colours.
``PortalLink`` (Portal → Links hub) is one of the links to the partner's other systems, audience-gated.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

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


class HomePage(Page):
    """The single root page of the site: the portal's home, with what the editors put at its top."""

    intro = RichTextField(blank=True, help_text="Shown to visitors who are not signed in, above the sign-in.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def serve(self, request, *args, **kwargs):
        from .views.home import serve_home  # the portal's views read other apps: imported when serving

        return serve_home(request, page=self)


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
