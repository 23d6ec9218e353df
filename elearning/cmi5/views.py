"""The cmi5 player's pages, each authorised by the launch token alone (404 for one that is not live or is
another user's), with no script of ours at all:

- ``/learn/cmi5/<token>/``: the AU in a frame (launchMethod AnyWindow) or a link that opens it in the whole
  window (OwnWindow), a contents list of the package's AUs when it has several, and Exit. Once the AU has
  fetched its token the launch is spent (cmi5 §8.2): the page then offers to launch again instead.
- ``/learn/cmi5/<token>/launch`` (POST): a new launch of the same attempt (the AU named by ``unit``, or the
  same one), then the new player; the old session is abandoned.
- ``/learn/cmi5/<token>/fetch`` (POST): the fetch URL; no cookies, no CSRF token (the token in the address is
  the credential), always JSON with HTTP 200 as cmi5 asks.
- ``/learn/cmi5/<token>/done/``: where the AU returns the learner (``returnURL``): their progress.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from ..models import Cmi5Session
from ..views.access import launch_or_404
from ..views.player import player_framing
from .fetch import cmi5_fetch
from .launch import cmi5_launch_start, cmi5_launch_url, cmi5_player_url
from .progress import au_met, au_rows, aus_of


def _session_or_404(request, token: str) -> Cmi5Session:
    launch = launch_or_404(request, token)
    session = Cmi5Session.objects.select_related("registration").filter(launch=launch).first()
    if session is None:
        raise Http404
    session.launch = launch
    return session


def _contents(session: Cmi5Session) -> list[dict]:
    attempt = session.launch.attempt
    rows = au_rows(attempt)
    entries = []
    for unit in aus_of(attempt.version):
        row = rows.get(unit["identifier"])
        entries.append(
            {
                "identifier": unit["identifier"],
                "title": unit.get("title") or unit["identifier"],
                "current": unit["identifier"] == session.unit,
                "done": au_met(unit, row, session.registration) and row is not None,
                "completed": row is not None and row.completion_status == "completed",
                "success": row.success_status if row is not None else "unknown",
            }
        )
    return entries


@player_framing
@never_cache
@require_safe
def player(request, token: str):
    session = _session_or_404(request, token)
    attempt = session.launch.attempt
    units = aus_of(attempt.version)
    position = next(index for index, unit in enumerate(units) if unit["identifier"] == session.unit)
    unit = units[position]
    spent = session.fetched_at is not None or not session.is_open
    context = {
        "package": attempt.package,
        "attempt": attempt,
        "unit": unit,
        "position": position + 1,
        "unit_count": len(units),
        "contents": _contents(session) if len(units) > 1 else [],
        "own_window": unit.get("launch_method") == "OwnWindow",
        "launch_url": None if spent else cmi5_launch_url(session, token, base=request.build_absolute_uri("/")[:-1]),
        "relaunch_url": reverse("elearning:cmi5:relaunch", kwargs={"token": token}),
        "done_url": reverse("elearning:cmi5:done", kwargs={"token": token}),
        "session": session,
    }
    return render(request, "elearning/cmi5/player.html", context)


@csrf_exempt
@require_POST
def relaunch(request, token: str):
    session = _session_or_404(request, token)
    attempt = session.launch.attempt
    try:
        _session, new_token = cmi5_launch_start(
            user=session.launch.user,
            package=attempt.package,
            context=attempt.context,
            chained_from=session.launch,
            unit=request.POST.get("unit") or session.unit,
            return_url=session.return_url,
        )
    except ValidationError:
        raise Http404 from None
    return HttpResponseRedirect(cmi5_player_url(new_token), status=303)


@csrf_exempt
@require_POST
@never_cache
def fetch(request, token: str):
    response = JsonResponse(cmi5_fetch(token=token, user=getattr(request, "user", None)))
    response["Cache-Control"] = "no-store"
    return response


@player_framing
@never_cache
@require_safe
def done(request, token: str):
    session = _session_or_404(request, token)
    attempt = session.launch.attempt
    context = {
        "package": attempt.package,
        "attempt": attempt,
        "contents": _contents(session),
        "return_url": session.return_url,
    }
    return render(request, "elearning/cmi5/done.html", context)
