"""``/team/``: the partner's members (search, status filter, pages) and open invitations; ``/team/<id>/``: one
member's learning and certifications; ``/team/<id>/transcript/<pdf|csv>/``: their transcript (what the admin may
see of it: ``certifications.transcript``)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from certifications.api import TRANSCRIPT_FORMATS, transcript_response
from partners.members import member_of

from .access import team_page
from .forms import InvitationForm, MemberFilterForm
from .reads import member_certificates, member_learning, members_matching, open_invitations

MEMBERS_PER_PAGE = 25


def team_response(request, partner, *, invitation_form=None, status=200):
    """The team page; also answers a refused invitation (``status`` 400, the form with its errors)."""
    filters = MemberFilterForm(request.GET or None)
    query, state = "", ""
    if filters.is_valid():
        query, state = filters.cleaned_data["q"], filters.cleaned_data["status"]
    members = members_matching(partner=partner, query=query, status=state)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return TemplateResponse(
        request,
        "home/team/team.html",
        {
            "partner": partner,
            "filters": filters,
            "filtering": bool(query or state),
            "page": page,
            "kept_query": kept.urlencode(),
            "invitations": open_invitations(partner=partner),
            "invitation_form": invitation_form or InvitationForm(),
            "invitation_days": settings.PARTNER_INVITATION_DAYS,
        },
        status=status,
    )


@require_GET
@team_page
def team(request, partner):
    return team_response(request, partner)


def membership_or_404(partner, user_id: int):
    """A member of the admin's own partner; anyone else's user does not exist here (404)."""
    membership = member_of(partner=partner, user_id=user_id)
    if membership is None:
        raise Http404
    return membership


@require_GET
@team_page
def member(request, partner, user_id: int):
    membership = membership_or_404(partner, user_id)
    certificates, hidden_certificates = member_certificates(member=membership.user, viewer=request.user)
    return TemplateResponse(
        request,
        "home/team/member.html",
        {
            "partner": partner,
            "membership": membership,
            "person": membership.user,
            "is_me": membership.user_id == request.user.pk,
            "learning": member_learning(member=membership.user, viewer=request.user),
            "certificates": certificates,
            "hidden_certificates": hidden_certificates,
        },
    )


@require_GET
@team_page
def member_transcript(request, partner, user_id: int, file_format: str):
    """A member's transcript, limited to the courses and certifications the admin may see; 404 for anyone else's."""
    membership = membership_or_404(partner, user_id)
    if file_format not in TRANSCRIPT_FORMATS:
        raise Http404
    return transcript_response(request, user=membership.user, file_format=file_format, viewer=request.user)
