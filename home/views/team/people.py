"""Changing a member from "My team": their roles (a form, then a confirmation) and deactivating or reactivating
them (a confirmation), through ``partners.members``' services, as the API does. A refusal is a 400 with the
service's reason, and nothing changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.members import member_deactivate, member_reactivate, member_roles_refusal, member_roles_set

from .access import team_page
from .forms import RolesForm
from .members import membership_or_404


def person_name(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


@require_http_methods(["GET", "POST"])
@team_page
def roles(request, partner, user_id: int):
    """GET: the form. POST: the confirmation of the change; POST with ``confirm``: the change."""
    membership = membership_or_404(partner, user_id)
    current = list(membership.roles.all())
    if request.method == "GET":
        form = RolesForm(initial={"roles": [role.pk for role in current]})
        return _roles_page(request, membership, form, current)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The roles were not changed: see below."))
        return _roles_page(request, membership, form, current, status=400)
    chosen = list(form.cleaned_data["roles"])
    if refusal := member_roles_refusal(membership=membership, roles=chosen, actor=request.user):
        messages.error(request, refusal)
        return _roles_page(request, membership, form, current, status=400)
    if not form.cleaned_data["confirm"]:
        confirming = RolesForm(initial={"roles": [role.pk for role in chosen], "confirm": True})
        return _roles_page(request, membership, confirming, current, chosen=chosen)
    try:
        _membership, changed = member_roles_set(membership=membership, roles=chosen, actor=request.user)
    except ValidationError as error:  # changed meanwhile (another admin, the last admin)
        messages.error(request, " ".join(error.messages))
        return _roles_page(request, membership, form, current, status=400)
    name = person_name(membership.user)
    if changed:
        messages.success(request, _("%(name)s's roles were changed.") % {"name": name})
    else:
        messages.info(request, _("%(name)s already had these roles: nothing changed.") % {"name": name})
    return redirect("home:team_member", user_id=membership.user_id)


def _roles_page(request, membership, form, current, *, chosen=None, status=200):
    return TemplateResponse(
        request,
        "home/team/roles.html",
        {
            "membership": membership,
            "person": membership.user,
            "form": form,
            "current": current,
            "chosen": chosen,  # set: the confirmation step
        },
        status=status,
    )


def _set_active(request, partner, user_id: int, *, active: bool):
    """GET asks to confirm; POST deactivates or reactivates through the API's services."""
    membership = membership_or_404(partner, user_id)
    name = person_name(membership.user)
    status = 200
    if request.method == "POST":
        service = member_reactivate if active else member_deactivate
        try:
            service(membership=membership, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            done = _("%(name)s can sign in again.") if active else _("%(name)s was deactivated and signed out.")
            messages.success(request, done % {"name": name})
            return redirect("home:team_member", user_id=membership.user_id)
    return TemplateResponse(
        request,
        "home/team/confirm_active.html",
        {
            "membership": membership,
            "person": membership.user,
            "name": name,
            "activate": active,
            "is_me": membership.user_id == request.user.pk,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@team_page
def deactivate(request, partner, user_id: int):
    return _set_active(request, partner, user_id, active=False)


@require_http_methods(["GET", "POST"])
@team_page
def reactivate(request, partner, user_id: int):
    return _set_active(request, partner, user_id, active=True)
