"""Staff clients' credentials (reporting tools, an LMS importing records): created with their scopes, the secret
shown once, revoked with one click. Learners' launch credentials are made by launches, never here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from ..hashing import basic_token
from ..models import Credential
from ..selectors import client_credentials
from ..services import credential_issue, credential_revoke

CLIENT_SCOPES = [
    (Credential.Scope.ALL_READ.value, "Read everything (reporting tools)"),
    (Credential.Scope.STATEMENTS_READ.value, "Read every statement"),
    (Credential.Scope.STATEMENTS_WRITE.value, "Write statements (and void them)"),
    (Credential.Scope.STATE.value, "Read and write state documents"),
    (Credential.Scope.ALL.value, "Everything"),
]


class ClientCredentialForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        choices=CLIENT_SCOPES, widget=forms.CheckboxSelectMultiple, initial=[Credential.Scope.ALL_READ.value]
    )

    class Meta:
        model = Credential
        fields = ["name", "scopes", "expires_at"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Name the client, e.g. the reporting tool that will use it.")
        return name


class CredentialCreateView(generic.CreateView):
    """Issues through ``credential_issue`` and shows the secret on the answer page, once (never stored)."""

    def save_instance(self):
        data = self.form.cleaned_data
        credential, self.secret = credential_issue(
            user=None,
            agent=None,
            name=data["name"],
            scopes=data["scopes"],
            expires_at=data.get("expires_at"),
            created_by=self.request.user,
        )
        log(credential, "wagtail.create", user=self.request.user)
        return credential

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "lrs/admin/credential_secret.html",
            {
                "credential": self.object,
                "secret": self.secret,
                "token": basic_token(self.object.key, self.secret),
                "endpoint": self.request.build_absolute_uri(reverse("lrs:about")).removesuffix("about"),
                "index_url": reverse(self.index_url_name),
                "header_title": "LRS credential created",
                "page_title": "LRS credential created",
                "header_icon": "key",
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class CredentialIndexView(generic.IndexView):
    def get_base_queryset(self):
        return client_credentials()

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.revoked_at is None and self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse("lrs_credentials:revoke", args=[instance.pk])
            buttons.append(MenuItem("Revoke", url, icon_name="bin", priority=30))
        return buttons


class ClientCredentialViewSet(ModelViewSet):
    """Staff clients of the LRS (no learner): listing, create (secret shown once) and revoke."""

    model = Credential
    name = "lrs_credentials"
    url_prefix = "lrs/credentials"
    icon = "key"
    menu_label = "LRS clients"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = CredentialIndexView
    add_view_class = CredentialCreateView
    ordering = "-created_at"
    list_display = [
        "name",
        Column("key", label="Key"),
        Column("scopes", label="Scopes", accessor=lambda c: ", ".join(c.scopes)),
        DateColumn("expires_at", label="Expires"),
        DateColumn("revoked_at", label="Revoked"),
        DateColumn("last_used_at", label="Last used"),
    ]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("scopes"), FieldPanel("expires_at")], base_form_class=ClientCredentialForm
    )

    def revoke_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        credential = get_object_or_404(client_credentials(), pk=pk)
        if request.method == "POST":
            credential_revoke(credential=credential)
            log(credential, "wagtail.edit", user=request.user, data={"revoked": True})
            messages.success(request, f"“{credential}” is revoked: it is refused from now on.")
            return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "lrs/admin/credential_revoke.html",
            {
                "credential": credential,
                "index_url": reverse(self.get_url_name("index")),
                "header_title": f"Revoke {credential}",
                "page_title": f"Revoke {credential}",
                "header_icon": "key",
            },
        )

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path(f"revoke/<{conv}:pk>/", self.revoke_view, name="revoke"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        # A credential is never edited nor deleted (its statements keep pointing at it): revoked instead.
        return {
            **super().get_common_view_kwargs(**kwargs),
            **dict.fromkeys(["edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"]),
        }
