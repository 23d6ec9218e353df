"""The player page and its commit endpoint, both authorised by the launch token alone.

``/learn/play/<token>/`` renders our page (no inline script: its settings travel in a
``json_script`` element, read by ``player.js``), which creates scorm-again's API for the SCO in
its frame and loads the CMI the hub kept (resume on any device). ``/learn/play/<token>/commit``
takes scorm-again's JSON commits: CSRF-exempt because it authenticates by the ``X-Launch-Token``
header (never by cookies), 404 for a token that is not live or belongs to someone else, 400 with the
element for data the standard refuses.
"""

import hmac
import json
from functools import wraps
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from csp.constants import SELF
from csp.decorators import csp_replace

from ..cmi import CmiError
from ..runtime.selectors import initial_cmi, sco_rows, sequencing_of, table_of_contents, unit_allowed, units_of
from ..services.runtime import launch_open_unit, runtime_commit
from .access import launch_or_404

SCORM_AGAIN_VERSION = "3.4.3"
TOKEN_HEADER = "X-Launch-Token"  # noqa: S105 - the header's name, not a secret
AUTOCOMMIT_SECONDS = 30


def player_framing(view):
    """The player may be framed by the hub and by the front ends named in ``PARTNERHUB_PLAYER_FRAME_ANCESTORS``
    (CSP ``frame-ancestors``; ``X-Frame-Options`` cannot name them, so it is left out then), and frames the
    package's files from the hub's own origin (``frame-src 'self'``). Read per response, so settings may change."""

    @wraps(view)
    def framed(request, *args, **kwargs):
        ancestors = list(settings.PARTNERHUB_PLAYER_FRAME_ANCESTORS)
        policy = {"frame-src": [SELF], "frame-ancestors": [SELF, *ancestors]}
        response = csp_replace(policy)(view)(request, *args, **kwargs)
        if ancestors:
            response.xframe_options_exempt = True
        elif not response.has_header("X-Frame-Options"):
            response["X-Frame-Options"] = "SAMEORIGIN"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return framed


def unit_url(token: str, identifier: str) -> str:
    return reverse("elearning:player", kwargs={"token": token}) + "?" + urlencode({"unit": identifier})


def _content_url(token: str, href: str) -> str:
    path, _, query = href.partition("?")
    url = reverse("elearning:content", kwargs={"token": token, "path": "x"})[:-1] + quote(path, safe="/")
    return f"{url}?{query}" if query else url


@player_framing
@never_cache
@require_safe
def player(request, token: str):
    """The player: header, table of contents (choice), Previous/Next (flow), Exit, and the SCO in a frame."""
    launch = launch_or_404(request, token)
    attempt = launch.attempt
    rows = sco_rows(attempt)
    identifier = request.GET.get("unit") or launch.unit
    if not unit_allowed(attempt, identifier, rows):
        raise Http404
    launch_open_unit(launch=launch, unit=identifier)
    units = units_of(attempt.version)
    position = next(index for index, unit in enumerate(units) if unit["identifier"] == identifier)
    unit = units[position]
    sequencing = sequencing_of(attempt.version)
    toc = table_of_contents(attempt, rows, identifier)
    for entry in toc:
        entry.url = unit_url(token, entry.identifier) if entry.allowed else ""
    previous_unit = units[position - 1]["identifier"] if position > 0 else None
    next_unit = units[position + 1]["identifier"] if position + 1 < len(units) else None
    flow = sequencing["flow"] and len(units) > 1
    previous_url = unit_url(token, previous_unit) if flow and previous_unit else None
    next_url = unit_url(token, next_unit) if flow and next_unit and toc[position + 1].allowed else None
    standard = attempt.package.standard
    config = {
        "standard": standard,
        "unit": identifier,
        "cmi": initial_cmi(attempt=attempt, unit=unit, row=rows.get(identifier)),
        "commitUrl": reverse("elearning:commit", kwargs={"token": token}) + "?" + urlencode({"unit": identifier}),
        "tokenHeader": TOKEN_HEADER,
        "token": token,
        "autocommitSeconds": AUTOCOMMIT_SECONDS,
        "units": {entry.identifier: entry.url for entry in toc if entry.allowed},
        "previousUrl": previous_url,
        "nextUrl": next_url,
        "exitUrl": reverse("elearning:exit", kwargs={"token": token}),
        "messages": {
            "ended": _(
                "This session has ended (it expired or the package was opened elsewhere). Open it again to go on."
            ),
            "notSaved": _("Your progress could not be saved."),
            "finishedNext": _("This part is finished: go on with Next, or Exit."),
            "finished": _("This part is finished and your progress is saved. You may Exit."),
        },
    }
    vendor = f"elearning/vendor/scorm-again/{SCORM_AGAIN_VERSION}/"
    context = {
        "package": attempt.package,
        "unit": unit,
        "position": position + 1,
        "unit_count": len(units),
        "contents": toc if sequencing["choice"] and len(units) > 1 else [],
        "previous_url": previous_url,
        "next_url": next_url,
        "exit_url": config["exitUrl"],
        "content_url": _content_url(token, unit["href"]),
        "config": config,
        "runtime_script": static(vendor + ("scorm12.min.js" if standard == "scorm12" else "scorm2004.min.js")),
    }
    return render(request, "elearning/player.html", context)


@player_framing
@never_cache
@require_safe
def exit_page(request, token: str):
    """Where Exit leads: the learner's progress, saved (the launch stays usable until it expires)."""
    launch = launch_or_404(request, token)
    return render(request, "elearning/exit.html", {"package": launch.attempt.package, "attempt": launch.attempt})


@csrf_exempt
@require_POST
def commit(request, token: str):
    """One commit of the SCO named by ``?unit=``; ``?terminate=true`` marks the session's last one."""
    if not hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode(), token.encode()):
        raise Http404
    launch = launch_or_404(request, token)
    standard = launch.attempt.package.standard
    failure = 101 if standard == "scorm12" else 391  # General exception / General commit failure
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"result": False, "errorCode": failure, "detail": "The body is not JSON."}, status=400)
    cmi = body.get("cmi") if isinstance(body, dict) else None
    if not isinstance(cmi, dict):
        return JsonResponse(
            {"result": False, "errorCode": failure, "detail": "The body must be a JSON object with a cmi object."},
            status=400,
        )
    terminate = request.GET.get("terminate") == "true"
    try:
        attempt = runtime_commit(launch=launch, unit=request.GET.get("unit", ""), cmi=cmi, terminate=terminate)
    except CmiError as error:
        return JsonResponse(
            {"result": False, "errorCode": failure, "element": error.element, "detail": str(error)}, status=400
        )
    except ValidationError:
        raise Http404 from None
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "attempt": {
                "completion_status": attempt.completion_status,
                "success_status": attempt.success_status,
                "score_percent": None if attempt.score_percent is None else str(attempt.score_percent),
            },
        }
    )
