"""``/xapi/agents`` (Communication §2.4: the Person of an agent) and ``/xapi/activities`` (§2.5: an activity with
its canonical definition). Both are GET only, with an ETag (the SHA-1 of the answer).

A learner's credential asks about its own agent only, and about the activities within its reach (under its
activity, or in its own statements); anything else is 404. A client needs ``statements/read`` or ``all/read``.
An activity no statement has mentioned is 404 too: the hub keeps definitions only from statements.
"""

import hashlib

from django.http import JsonResponse

from ..errors import BadRequest, Forbidden, NotFound
from ..models import Credential
from ..selectors import activity_object, activity_within_reach, person_for
from ..validation import agent_ifi, parse_agent_param
from ..validation.values import check_iri
from .base import check_params, xapi_view

Scope = Credential.Scope


def _answer(body: dict) -> JsonResponse:
    response = JsonResponse(body)
    response["ETag"] = '"' + hashlib.sha1(response.content, usedforsecurity=False).hexdigest() + '"'
    return response


def _client_may_read(credential: Credential, what: str) -> None:
    if not credential.has_scope(Scope.STATEMENTS_READ, Scope.ALL_READ):
        raise Forbidden(f"This credential may not read {what}.")


def _agents(xrequest, credential):
    check_params(xrequest, {"agent"})
    if "agent" not in xrequest.params:
        raise BadRequest("The agent parameter is required.")
    agent = parse_agent_param(xrequest.params["agent"])
    if credential.agent_ifi:
        if agent_ifi(agent) != credential.agent_ifi:
            raise NotFound("No such agent.")
    else:
        _client_may_read(credential, "agents")
    return _answer(person_for(agent))


def _activities(xrequest, credential):
    check_params(xrequest, {"activityId"})
    if "activityId" not in xrequest.params:
        raise BadRequest("The activityId parameter is required.")
    activity_id = check_iri(xrequest.params["activityId"], "activityId")
    if credential.agent_ifi:
        if not credential.has_scope(Scope.STATEMENTS_READ_MINE):
            raise Forbidden("This credential may not read activities.")
        if not activity_within_reach(credential, activity_id):
            raise NotFound("No such activity.")
    else:
        _client_may_read(credential, "activities")
    activity = activity_object(activity_id)
    if activity is None:
        raise NotFound("No such activity.")
    return _answer(activity)


agents = xapi_view({"GET": _agents})
activities = xapi_view({"GET": _activities})
