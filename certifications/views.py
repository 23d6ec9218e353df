"""Admin views of certificates: revoking one, with a reason, through ``certifications.services``."""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .models import Certificate
from .services import CertificationError, certificate_revoke


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anyone who verifies the certificate sees this reason, and the holder sees it in their list.",
    )


class CertificateRevokeView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView):
    """Ask for the reason, then revoke: verification says "revoked" from then on. Audited."""

    model = Certificate
    permission_required = "revoke"  # certifications.revoke_certificate
    form_class = RevokeForm
    template_name = "certifications/admin/revoke.html"
    page_title = "Revoke certificate"
    header_icon = "cross"
    index_url_name = None
    inspect_url_name = None

    def get_base_object_queryset(self):
        return Certificate.objects.select_related("user", "certification", "partner")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Certificates"},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]

    @property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def dispatch(self, request, *args, **kwargs):
        if self.object.revoked_at:
            messages.warning(request, "This certificate is revoked already.")
            return redirect(self.inspect_url)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            certificate_revoke(certificate=self.object, reason=form.cleaned_data["reason"], user=self.request.user)
        except CertificationError as error:
            form.add_error("reason", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Revoked “{self.object}”. Verification now says so, with your reason.")
        return redirect(self.inspect_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.object, inspect_url=self.inspect_url, **kwargs)
