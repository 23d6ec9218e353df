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
        help_text="The holder sees this reason in their certificates; verification only says it is revoked.",
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

    def _not_revocable(self):
        """A redirect with the reason when there is nothing to revoke (after the permission check)."""
        if self.object.revoked_at or self.object.superseded_at:
            why = "is revoked already" if self.object.revoked_at else "was renewed: revoke the current one"
            messages.warning(self.request, f"This certificate {why}.")
            return redirect(self.inspect_url)
        return None

    def get(self, request, *args, **kwargs):
        return self._not_revocable() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._not_revocable() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            certificate_revoke(certificate=self.object, reason=form.cleaned_data["reason"], user=self.request.user)
        except CertificationError as error:
            form.add_error("reason", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Revoked “{self.object}”. Verification now says it is revoked.")
        return redirect(self.inspect_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.object, inspect_url=self.inspect_url, **kwargs)
