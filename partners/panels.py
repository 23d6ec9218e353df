"""The admin panel of an audience (DESIGN §3): the same fields, in the same order, for every gated model."""

from django import forms

from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel

AUDIENCE_HELP = "Who may see this. Empty lists mean everyone; a partner must match every restriction set here."


def audience_panel(*, help_text: str = AUDIENCE_HELP) -> MultiFieldPanel:
    """Minimum tier, partner types, regions and roles of an ``AudienceMixin`` model, as one panel."""
    return MultiFieldPanel(
        [
            FieldPanel("min_tier"),
            FieldPanel("partner_types", widget=forms.CheckboxSelectMultiple),
            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
            # How many partners and users it reaches now, updated as the editor changes it (partners.admin.reach).
            HelpPanel(template="partners/admin/audience_reach_panel.html"),
        ],
        heading="Audience",
        help_text=help_text,
    )


QUALIFICATION_HELP = (
    "Some products may be sold only by certified partners. Partners in the audience above who lack the "
    "certification see the item as locked, with what unlocks it; everyone else does not see it at all."
)


def qualification_panel() -> MultiFieldPanel:
    """The required qualification (a certification) of a ``QualificationMixin`` model, as one panel."""
    return MultiFieldPanel(
        [
            FieldPanel("required_qualification"),
            FieldRowPanel([FieldPanel("required_qualification_mode"), FieldPanel("required_holders")]),
        ],
        heading="Qualification",
        help_text=QUALIFICATION_HELP,
    )
