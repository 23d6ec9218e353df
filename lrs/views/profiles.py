"""``/xapi/agents/profile`` and ``/xapi/activities/profile`` (Communication §2.6-2.7, §3.1): one document (PUT,
POST merge, GET, DELETE) by ``profileId``, or the ids of an agent's or an activity's documents (GET, ``since``).

Who reaches what: a learner's credential (bound to an agent) reads and writes its own agent's profile only, and
only with the ``profile`` scope; another agent's profile is 404, as if it did not exist. Activity profiles are
every learner's: a learner's credential reads those of its own activity (404 for others) and writes none; a client
reads them with ``profile``, ``statements/read`` or ``all/read`` and writes them with ``profile`` (or ``all``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse

from ..errors import BadRequest, Forbidden, NotFound
from ..models import Credential
from ..selectors import (
    activity_profile_get,
    activity_profile_ids,
    activity_within_reach,
    agent_profile_get,
    agent_profile_ids,
)
from ..services import (
    activity_profile_delete,
    activity_profile_post,
    activity_profile_put,
    agent_profile_delete,
    agent_profile_post,
    agent_profile_put,
)
from ..validation import agent_ifi, parse_agent_param, parse_timestamp
from ..validation.values import check_iri
from .base import check_params, document_response, last_modified, xapi_view

Scope = Credential.Scope


def _required(xrequest, name: str) -> str:
    if name not in xrequest.params:
        raise BadRequest(f"The {name} parameter is required.")
    return xrequest.params[name]


def _since(xrequest):
    since = xrequest.params.get("since")
    return parse_timestamp(since, "since") if since is not None else None


def _ids_response(ids: list[str], updated) -> JsonResponse:
    response = JsonResponse(ids, safe=False)
    last_modified(response, updated)
    return response


def _write_arguments(xrequest) -> dict:
    return {
        "profile_id": _required(xrequest, "profileId"),
        "content": xrequest.body,
        "content_type": xrequest.header("Content-Type") or "application/octet-stream",
        "if_match": xrequest.header("If-Match"),
        "if_none_match": xrequest.header("If-None-Match"),
    }


# --- /xapi/agents/profile -------------------------------------------------------------------------------------------


def _agent(xrequest, credential: Credential, *, write: bool) -> dict:
    agent = parse_agent_param(_required(xrequest, "agent"))
    if credential.agent_ifi:
        if not credential.has_scope(Scope.PROFILE):
            raise Forbidden("This credential may not use agent profiles.")
        if agent_ifi(agent) != credential.agent_ifi:
            raise NotFound("No such agent profile.")
        return agent
    if not credential.has_scope(*((Scope.PROFILE,) if write else (Scope.PROFILE, Scope.ALL_READ))):
        raise Forbidden("This credential may not " + ("write" if write else "read") + " agent profiles.")
    return agent


# --- /xapi/activities/profile ---------------------------------------------------------------------------------------


def _activity(xrequest, credential: Credential, *, write: bool) -> str:
    activity_id = check_iri(_required(xrequest, "activityId"), "activityId")
    if write:
        if credential.agent_ifi:
            raise Forbidden("A learner's credential reads activity profiles, never writes them: they are everyone's.")
        if not credential.has_scope(Scope.PROFILE):
            raise Forbidden("This credential may not write activity profiles.")
        return activity_id
    if not credential.has_scope(Scope.PROFILE, Scope.STATEMENTS_READ, Scope.ALL_READ):
        raise Forbidden("This credential may not read activity profiles.")
    if credential.agent_ifi and not activity_within_reach(credential, activity_id):
        raise NotFound("No such activity profile.")
    return activity_id


# --- both resources -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileResource:
    """One profile resource: what names its subject (an agent, an activity) and its selectors and services."""

    param: str  # the query parameter naming the subject: ``agent`` or ``activityId``
    keyword: str  # the selectors' and services' keyword for it: ``agent`` or ``activity_id``
    subject: Callable  # (xrequest, credential, *, write) -> the subject, once the credential may reach it
    missing: str  # the 404's message
    get: Callable
    ids: Callable
    put: Callable
    post: Callable
    delete: Callable


def profile_view(resource: ProfileResource):
    """The view of one profile resource: GET one document or the ids, PUT, POST (merge), DELETE."""

    def subject(xrequest, credential, *, write: bool) -> dict:
        return {resource.keyword: resource.subject(xrequest, credential, write=write)}

    def get(xrequest, credential):
        if "profileId" in xrequest.params:
            check_params(xrequest, {resource.param, "profileId"})
            found = subject(xrequest, credential, write=False)
            document = resource.get(**found, profile_id=xrequest.params["profileId"])
            if document is None:
                raise NotFound(resource.missing)
            return document_response(document)
        check_params(xrequest, {resource.param, "since"})
        found = subject(xrequest, credential, write=False)
        return _ids_response(*resource.ids(**found, since=_since(xrequest)))

    def write(service):
        def handler(xrequest, credential):
            check_params(xrequest, {resource.param, "profileId"})
            arguments = _write_arguments(xrequest)
            service(**subject(xrequest, credential, write=True), **arguments)
            return HttpResponse(status=204)

        return handler

    def delete(xrequest, credential):
        check_params(xrequest, {resource.param, "profileId"})
        profile_id = _required(xrequest, "profileId")
        found = subject(xrequest, credential, write=True)
        resource.delete(**found, profile_id=profile_id, if_match=xrequest.header("If-Match"))
        return HttpResponse(status=204)

    return xapi_view({"GET": get, "PUT": write(resource.put), "POST": write(resource.post), "DELETE": delete})


agent_profile = profile_view(
    ProfileResource(
        param="agent", keyword="agent", subject=_agent, missing="No such agent profile.", get=agent_profile_get,
        ids=agent_profile_ids, put=agent_profile_put, post=agent_profile_post, delete=agent_profile_delete,
    )
)  # fmt: skip
activity_profile = profile_view(
    ProfileResource(
        param="activityId", keyword="activity_id", subject=_activity, missing="No such activity profile.",
        get=activity_profile_get, ids=activity_profile_ids, put=activity_profile_put, post=activity_profile_post,
        delete=activity_profile_delete,
    )
)  # fmt: skip
