"""The admin panel of an audience (DESIGN §3): the same fields, in the same order, for every gated model."""

from django import forms

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

AUDIENCE_HELP = "Who may see this. Empty lists mean everyone; a partner must match every restriction set here."


def audience_panel(*, help_text: str = AUDIENCE_HELP) -> MultiFieldPanel:
    """Minimum tier, partner types, regions and roles of an ``AudienceMixin`` model, as one panel."""
    return MultiFieldPanel(
        [
            FieldPanel("min_tier"),
            FieldPanel("partner_types", widget=forms.CheckboxSelectMultiple),
            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
        ],
        heading="Audience",
        help_text=help_text,
    )
