"""The portal home page: the root of the page tree that partners and editors land on."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The single root page of the site; content lives in the snippets and pages below it."""

    intro = RichTextField(blank=True, help_text="Shown to visitors of the portal's public home page.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
