"""Invitations in the admin (Partners → Invitations): list with filters, invite for any partner, resend, revoke.

Invitations are written by ``partners.invitations`` only (the e-mail is sent, the audit told), never
edited or deleted: ``InvitationPermissionPolicy`` (registered by ``partners.wagtail_hooks``) refuses
that, and revoking stands in for deleting. The link's token is never shown: only its digest is stored.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

import django_filters

from core.reports import AbsoluteDateColumn
from partners.invitations import invitation_create, invitation_resend, invitation_revoke
from partners.models import Invitation


class InvitationPermissionPolicy(ModelPermissionPolicy):
    """Whoever may add invitations may list, resend and revoke them; nobody edits or deletes one."""

    REFUSED = frozenset({"change", "delete"})

    def user_has_permission(self, user, action):
        if action in self.REFUSED:
            return False
        return super().user_has_permission(user, "add" if action in ("resend", "revoke") else action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a not in self.REFUSED])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.REFUSED])


class InvitationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(choices=Invitation.State.choices, method="filter_state", label="State")

    class Meta:
        model = Invitation
        fields = ["partner", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)


class InvitationForm(WagtailAdminModelForm):
    class Meta:
        model = Invitation
        fields = ["partner", "email", "roles"]
        widgets = {"roles": forms.CheckboxSelectMultiple}


class InvitationCreateView(generic.CreateView):
    """Sends the invitation through the service (refusals become form errors) instead of saving the form."""

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = invitation_create(
                partner=data["partner"],
                email=data["email"],
                roles=list(data["roles"]),
                actor=self.request.user,
                request=self.request,
            )
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        messages.success(self.request, f"Invitation sent to {self.object.email} for {self.object.partner}.")
        return redirect(self.get_success_url())


def _action_buttons(view, invitation, button_class) -> list:
    if not view.permission_policy.user_has_permission(view.request.user, "add"):
        return []
    state = invitation.state
    buttons = []
    if state in (Invitation.State.PENDING, Invitation.State.EXPIRED):
        url = reverse("partner_invitations:resend", args=[invitation.pk])
        buttons.append(button_class("Resend", url=url, icon_name="mail", priority=20))
        url = reverse("partner_invitations:revoke", args=[invitation.pk])
        buttons.append(button_class("Revoke", url=url, icon_name="cross", priority=30))
    return buttons


class InvitationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner", "invited_by").prefetch_related("roles")

    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *_action_buttons(self, instance, ListingButton)]


class InvitationInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_action_buttons(self, self.object, Button)]

    def get_roles_display_value(self):
        return ", ".join(role.name for role in self.object.roles.all()) or "None"

    def get_state_display_value(self):
        return self.object.get_state_display()


class InvitationActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks to confirm, then resends or revokes one invitation through the service."""

    model = Invitation
    permission_policy = None
    permission_required = "add"
    template_name = "partners/admin/invitation_action.html"
    header_icon = "mail"
    index_url_name = None
    action = None  # "resend" or "revoke"
    ACTIONS = {
        "resend": (invitation_resend, "Resend invitation", "Sent the invitation to {email} again, with a new link."),
        "revoke": (invitation_revoke, "Revoke invitation", "Revoked the invitation of {email}: its link is dead."),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Invitation.objects.select_related("partner"), pk=kwargs["pk"])

    @property
    def page_title(self):
        return self.ACTIONS[self.action][1]

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitation=self.object,
            action=self.action,
            index_url=reverse(self.index_url_name),
            days=settings.PARTNER_INVITATION_DAYS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        service, _title, done = self.ACTIONS[self.action]
        try:
            service(invitation=self.object, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done.format(email=self.object.email))
        return redirect(self.index_url_name)


class InvitationViewSet(ModelViewSet):
    model = Invitation
    name = "partner_invitations"
    url_prefix = "partners/invitations"
    icon = "mail"
    menu_label = "Invitations"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    inspect_view_class = InvitationInspectView
    filterset_class = InvitationFilterSet
    edit_handler = ObjectList(
        [FieldPanel("partner"), FieldPanel("email"), FieldPanel("roles")], base_form_class=InvitationForm
    )
    ordering = ["-created_at"]
    list_display = [
        "email",
        "partner",
        Column("roles", label="Roles", accessor=lambda i: ", ".join(role.name for role in i.roles.all())),
        StatusTagColumn(
            "state",
            label="State",
            accessor="get_state_display",
            primary=lambda i: i.state == Invitation.State.PENDING,
        ),
        Column("invited_by", label="Invited by"),
        DateColumn("created_at", label="Created", sort_key="created_at"),
        AbsoluteDateColumn("expires_at", label="Expires", date_format="N j, Y, H:i", sort_key="expires_at"),
    ]
    search_fields = ["email", "partner__name"]
    search_backend_name = None
    inspect_view_fields = [
        "email",
        "partner",
        "roles",
        "state",
        "invited_by",
        "created_at",
        "last_sent_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
        "revoked_at",
    ]

    def action_view(self, action):
        return self.construct_view(InvitationActionView, action=action, permission_policy=self.permission_policy)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/resend/", self.action_view("resend"), name="resend"),
            path("<int:pk>/revoke/", self.action_view("revoke"), name="revoke"),
        ]
