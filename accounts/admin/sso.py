"""Settings → Single sign-on: each partner's identity provider, and the vendor's, in the Wagtail admin.

The form never shows a stored client secret back: its field is a password input left empty, and an
empty field keeps the stored secret. The panel "What the identity provider needs" gives the URLs
to register at the IdP (OIDC redirect URI; SAML entity ID, ACS and metadata URLs) for this connection.
"""

from django import forms
from django.urls import reverse

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import SSOConnection, SSOProtocol

STORED_SECRET_HELP = "A secret is stored (never shown). Leave empty to keep it; type a new one to replace it."  # noqa: S105 - a help text


class SSOConnectionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("client_secret")
        if field is not None:
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            self.initial["client_secret"] = ""
            if self.instance.pk and self.instance.client_secret:
                field.help_text = STORED_SECRET_HELP

    def clean(self):
        cleaned_data = super().clean()
        # A mapping's target must suit the connection: partner roles for a partner's IdP, staff groups for the
        # vendor's. Checked here, where the partner chosen in this very form is known.
        for_staff = not cleaned_data.get("partner")
        for form in self.formsets["role_mappings"].forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            if not for_staff and form.cleaned_data.get("group"):
                form.add_error("group", "A partner's IdP gives partner roles, never staff groups.")
            if for_staff and form.cleaned_data.get("role"):
                form.add_error("role", "The vendor's IdP gives staff groups; partner roles come from partners'.")
        return cleaned_data

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret") or ""
        if not secret and self.instance.pk:
            stored = SSOConnection.objects.filter(pk=self.instance.pk).first()
            return stored.client_secret if stored is not None else ""
        return secret


class IdPSetupPanel(HelpPanel):
    """The URLs an IdP administrator registers for this connection (once it has a slug)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            connection = self.instance
            urls = []
            if connection is not None and connection.slug:
                absolute = self.request.build_absolute_uri
                if connection.protocol == SSOProtocol.SAML:
                    metadata = absolute(reverse("saml_metadata", args=[connection.slug]))
                    urls = [
                        ("Entity ID (client ID at the IdP)", connection.sp_entity_id or metadata),
                        (
                            "Assertion consumer service (ACS) URL",
                            absolute(reverse("saml_acs", args=[connection.slug])),
                        ),
                        ("Service provider metadata", metadata),
                    ]
                else:
                    callback = reverse("openid_connect_callback", kwargs={"provider_id": connection.provider_id})
                    urls = [("Redirect URI", absolute(callback))]
            context["urls"] = urls
            return context


class SSOConnectionViewSet(ModelViewSet):
    model = SSOConnection
    name = "sso_connections"
    icon = "key"
    menu_label = "Single sign-on"
    add_to_settings_menu = True
    ordering = "name"
    list_display = [
        "name",
        Column("partner", label="For", accessor=lambda c: c.partner or "Vendor staff"),
        "protocol",
        Column(
            "domains", label="E-mail domains", accessor=lambda c: ", ".join(d.domain for d in c.email_domains.all())
        ),
        StatusTagColumn(
            "is_active",
            accessor=lambda c: "Active" if c.is_active else "Inactive",
            primary=lambda c: c.is_active,
            label="Status",
            sort_key="is_active",
        ),
    ]
    list_filter = ["protocol", "is_active", "partner"]
    search_fields = ["name", "slug"]
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("partner"),
                    FieldPanel("protocol"),
                    FieldPanel("is_active"),
                ],
                heading="Connection",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("issuer"),
                    FieldPanel("client_id"),
                    FieldPanel("client_secret"),
                    FieldPanel("client_secret_env"),
                ],
                heading="OpenID Connect",
            ),
            MultiFieldPanel(
                [FieldPanel("idp_metadata_url"), FieldPanel("idp_entity_id"), FieldPanel("sp_entity_id")],
                heading="SAML 2.0",
            ),
            InlinePanel("email_domains", heading="E-mail domains it owns", label="Domain", min_num=1),
            FieldPanel("groups_claim"),
            InlinePanel("role_mappings", heading="Groups that give access", label="Mapping", min_num=1),
            IdPSetupPanel(heading="What the identity provider needs", template="accounts/admin/sso_setup_panel.html"),
        ],
        base_form_class=SSOConnectionForm,
    )

    def get_queryset(self, request):
        return SSOConnection.objects.select_related("partner").prefetch_related("email_domains")
