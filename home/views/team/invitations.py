"""Inviting colleagues from "My team": send, resend, revoke, through ``partners.invitations`` (the API's services,
which send the e-mail and record the audit). A refusal is a 400 with the service's reason; nothing changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners.invitations import invitation_create, invitation_resend, invitation_revoke, invitations_of

from .access import team_page
from .forms import InvitationForm
from .members import team_response


def team_invitations_url() -> str:
    return reverse("home:team") + "#invitations"


def invitation_or_404(partner, invitation_id: int):
    invitation = invitations_of(partner=partner).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


@require_POST
@team_page
def invite(request, partner):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                partner=partner,
                email=form.cleaned_data["email"],
                roles=list(form.cleaned_data["roles"]),
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect(team_invitations_url())
    reasons = " ".join(message for errors in form.errors.values() for message in errors)
    messages.error(request, _("The invitation was not sent. %(reasons)s") % {"reasons": reasons})
    return team_response(request, partner, invitation_form=form, status=400)


@require_POST
@team_page
def resend(request, partner, invitation_id: int):
    invitation = invitation_or_404(partner, invitation_id)
    try:
        invitation_resend(invitation=invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return team_response(request, partner, status=400)
    messages.success(request, _("Invitation sent again to %(email)s, with a new link.") % {"email": invitation.email})
    return redirect(team_invitations_url())


@require_http_methods(["GET", "POST"])
@team_page
def revoke(request, partner, invitation_id: int):
    """GET asks to confirm; POST revokes (the link stops working at once)."""
    invitation = invitation_or_404(partner, invitation_id)
    if request.method == "POST":
        try:
            invitation_revoke(invitation=invitation, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation.email})
            return redirect(team_invitations_url())
    return TemplateResponse(
        request,
        "home/team/confirm_revoke.html",
        {"invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )
