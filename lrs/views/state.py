"""``/xapi/activities/state`` (Communication §2.3): one document (PUT, POST merge, GET, DELETE) or a context's
ids (GET) and all its documents (DELETE).

A launch credential reaches only its own agent's state, in its registration and under its activity
prefix when it has them (404 otherwise, as for a document that does not exist, like the profiles);
the documents the hub writes for a launch (``LMS.LaunchData``) are read-only to it (cmi5 §10).
"""

from django.http import HttpResponse, JsonResponse

from ..conf import protected_state_ids
from ..errors import BadRequest, Forbidden, NotFound
from ..models import Credential
from ..selectors import state_get, state_ids
from ..services import state_delete, state_post, state_put
from ..validation import agent_ifi, parse_agent_param, parse_timestamp, parse_uuid
from ..validation.values import check_iri
from .base import check_params, document_response, last_modified, xapi_view

SINGLE = {"activityId", "agent", "registration", "stateId"}


def _context(xrequest, credential: Credential, *, write: bool) -> dict:
    params = xrequest.params
    for name in ("activityId", "agent"):
        if name not in params:
            raise BadRequest(f"The {name} parameter is required.")
    context = {
        "activity_id": check_iri(params["activityId"], "activityId"),
        "agent": parse_agent_param(params["agent"]),
        "registration": parse_uuid(params["registration"], "registration") if "registration" in params else None,
    }
    needed = (Credential.Scope.STATE,) if write else (Credential.Scope.STATE, Credential.Scope.ALL_READ)
    if not credential.has_scope(*needed):
        raise Forbidden("This credential may not " + ("write" if write else "read") + " state.")
    if credential.agent_ifi:
        if agent_ifi(context["agent"]) != credential.agent_ifi:
            raise NotFound("No such state document for this credential.")
        if credential.registration and context["registration"] != credential.registration:
            raise NotFound("No such state document for this credential.")
        if not credential.covers_activity(context["activity_id"]):
            raise NotFound("No such state document for this credential.")
        if write and params.get("stateId") in protected_state_ids():
            raise Forbidden("This state document is the hub's: read it, never change it.")
    return context


def _get(xrequest, credential):
    if "stateId" in xrequest.params:
        check_params(xrequest, SINGLE)
        document = state_get(**_context(xrequest, credential, write=False), state_id=xrequest.params["stateId"])
        if document is None:
            raise NotFound("No such state document.")
        return document_response(document)
    check_params(xrequest, {"activityId", "agent", "registration", "since"})
    since = xrequest.params.get("since")
    ids, updated = state_ids(
        **_context(xrequest, credential, write=False), since=parse_timestamp(since, "since") if since else None
    )
    response = JsonResponse(ids, safe=False)
    last_modified(response, updated)
    return response


def _write(service):
    def handler(xrequest, credential):
        check_params(xrequest, SINGLE)
        if "stateId" not in xrequest.params:
            raise BadRequest("The stateId parameter is required.")
        service(
            **_context(xrequest, credential, write=True),
            state_id=xrequest.params["stateId"],
            content=xrequest.body,
            content_type=xrequest.header("Content-Type") or "application/octet-stream",
            if_match=xrequest.header("If-Match"),
            if_none_match=xrequest.header("If-None-Match"),
        )
        return HttpResponse(status=204)

    return handler


def _delete(xrequest, credential):
    check_params(xrequest, SINGLE)
    state_delete(
        **_context(xrequest, credential, write=True),
        state_id=xrequest.params.get("stateId"),
        if_match=xrequest.header("If-Match"),
        keep=protected_state_ids() if credential.agent_ifi else (),
    )
    return HttpResponse(status=204)


state = xapi_view({"GET": _get, "PUT": _write(state_put), "POST": _write(state_post), "DELETE": _delete})
