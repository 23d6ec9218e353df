"""The portal's home at ``/``: a landing for visitors; for partner users the editors' banner and featured
assets and courses (``HomePage``, audience-gated), then their feed; and "mark as seen".

The feed is the API's (``cms.selectors.feed_for_partner``, with the sections other apps register), read
from when the user last marked it as seen: reading it marks nothing, so what is new stays new until they
say they have seen it.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cms.selectors import bulletins_for_partner, feed_for_partner, feed_seen_at, feed_since
from cms.services.activity import bulletin_acknowledge, feed_visit_record
from partners.audience import viewer_for

from ..access import not_a_partner_response, portal_enabled, portal_page


def serve_home(request, *, page):
    if not portal_enabled():
        return TemplateResponse(request, "home/headless.html", {"page": page})
    if not request.user.is_authenticated:
        return TemplateResponse(request, "home/landing.html", {"page": page})
    if viewer_for(request.user) is None:
        return not_a_partner_response(request)
    now = timezone.now()
    seen_at = feed_seen_at(user=request.user)
    since = feed_since(user=request.user, now=now, seen_at=seen_at)
    feed = feed_for_partner(user=request.user, since=since, now=now)
    unacknowledged = [b for b in feed["bulletins"] if b.requires_acknowledgement and b.pk not in feed["acknowledged"]]
    return TemplateResponse(
        request,
        "home/home_page.html",
        {
            "page": page,
            "since": since,
            "returning": seen_at is not None,  # "Welcome back" only to someone who has marked their feed seen
            "feed": feed,
            "unacknowledged_count": len(unacknowledged),
            "has_news": any(feed[name] for name in ("new_assets", "updated_assets", "new_programs")),
            # What the editors put on top, each for the audience it is meant for.
            "banner": page.banner_for(user=request.user),
            "featured_assets": page.featured_assets_for(user=request.user),
            "featured_courses": page.featured_courses_for(user=request.user),
        },
    )


@require_POST
@portal_page
def mark_feed_seen(request):
    """ "Mark as seen": what is new on the home page from now on starts now."""
    feed_visit_record(user=request.user)
    if request.htmx:
        return render(request, "home/includes/feed_seen.html", {"since": timezone.now()})
    return redirect("/")


@require_POST
@portal_page
def acknowledge_bulletin(request, bulletin_id: int):
    """ "I have read this" on a bulletin that asks for it; 404 for one the user may not see."""
    bulletin = get_object_or_404(bulletins_for_partner(user=request.user), pk=bulletin_id)
    if not bulletin.requires_acknowledgement:
        return HttpResponseBadRequest("This bulletin does not ask for acknowledgement.")
    acknowledgement = bulletin_acknowledge(bulletin=bulletin, user=request.user)
    if request.htmx:
        return render(
            request,
            "home/includes/bulletin_card.html",
            {"bulletin": bulletin, "acknowledged": True, "acknowledged_at": acknowledgement.acknowledged_at},
        )
    back = request.POST.get("next", "")  # the bulletin's own page, when acknowledged there
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe else "/")
