"""Bulletins (``/bulletins/``, ``/bulletins/<id>/``): announcements, pinned first, acknowledged where asked.

Reads go through ``cms.selectors.bulletins_for_partner``, the API's own (the audience rule, live only), with when
the user acknowledged each one; a bulletin the user may not see is 404 (one locked by a certification: 403 saying
what unlocks it). Acknowledging is the home page's endpoint (``home:acknowledge_bulletin``), whose fragment both
pages swap in. Each detail read is recorded as a content view (``cms.services.activity.record_content_view``).
"""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.template.response import TemplateResponse

from cms.gating.locking import raise_if_locked
from cms.models import Bulletin, BulletinAcknowledgement
from cms.rich_text import rich_text_html
from cms.selectors import bulletins_for_partner
from cms.services.activity import record_content_view

from ..access import portal_page

BULLETINS_PER_PAGE = 20
#: ``?show=`` of the list: every bulletin, or those still waiting for my acknowledgement.
SHOW_ALL, SHOW_TO_ACKNOWLEDGE = "all", "to-acknowledge"


def bulletins_with_my_acknowledgement(*, user):
    """``bulletins_for_partner`` with ``acknowledged_at`` (when ``user`` acknowledged each, or ``None``)."""
    mine = BulletinAcknowledgement.objects.filter(bulletin=OuterRef("pk"), user=user)
    return bulletins_for_partner(user=user).annotate(acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]))


def waiting_for_acknowledgement(bulletins):
    return bulletins.filter(requires_acknowledgement=True, acknowledged_at__isnull=True)


@portal_page
def bulletin_list(request):
    show = SHOW_TO_ACKNOWLEDGE if request.GET.get("show") == SHOW_TO_ACKNOWLEDGE else SHOW_ALL
    bulletins = bulletins_with_my_acknowledgement(user=request.user)
    waiting = waiting_for_acknowledgement(bulletins)
    listed = waiting if show == SHOW_TO_ACKNOWLEDGE else bulletins
    page = Paginator(listed, BULLETINS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "home/bulletins/list.html",
        {
            "page_obj": page,
            "bulletins": page.object_list,
            "show": show,
            "show_all": SHOW_ALL,
            "show_to_acknowledge": SHOW_TO_ACKNOWLEDGE,
            "waiting_count": waiting.count() if show == SHOW_ALL else page.paginator.count,
        },
    )


@portal_page
def bulletin_detail(request, bulletin_id: int):
    bulletin = bulletins_with_my_acknowledgement(user=request.user).filter(pk=bulletin_id).first()
    if bulletin is None:
        raise_if_locked(Bulletin, user=request.user, pk=bulletin_id)
        raise Http404
    record_content_view(user=request.user, item=bulletin)
    # Stored rich text is whitelisted when written (Wagtail's editor, the importer's clean_rich_text).
    return TemplateResponse(
        request, "home/bulletins/detail.html", {"bulletin": bulletin, "body": rich_text_html(bulletin.body)}
    )
