"""``/xapi/statements`` (Communication §2.1): PUT one, POST one or many, GET one or a query with ``more`` links."""

import uuid
from datetime import UTC, datetime

from django.core import signing
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone

from ..conf import max_page_size, more_link_seconds
from ..errors import BadRequest, Forbidden
from ..formats import FORMATS, accepted_languages, formatted
from ..indexing import activities_of
from ..selectors import StatementQuery, activity_definitions, statement_get, statements_page
from ..services import statements_store
from ..validation import agent_ifi, is_iri, parse_agent_param, parse_timestamp, parse_uuid
from .base import bool_param, check_params, last_modified, parse_json, xapi_view

SINGLE_PARAMS = {"statementId", "voidedStatementId", "format", "attachments"}
QUERY_PARAMS = {"agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until"}
QUERY_PARAMS |= {"limit", "format", "attachments", "ascending"}
MORE_SALT = "lrs.statements.more"


def _statement_body(xrequest):
    if xrequest.content_type == "multipart/mixed":
        raise BadRequest("Attachments travel by fileUrl here: send application/json, not multipart/mixed.")
    if xrequest.content_type != "application/json":
        raise BadRequest("Send statements as application/json.")
    return parse_json(xrequest.body)


def _put(xrequest, credential):
    check_params(xrequest, {"statementId"})
    if "statementId" not in xrequest.params:
        raise BadRequest("PUT needs the statementId parameter.")
    statement_id = parse_uuid(xrequest.params["statementId"], "statementId")
    statements_store(credential=credential, statements=_statement_body(xrequest), statement_id=statement_id)
    return HttpResponse(status=204)


def _post(xrequest, credential):
    check_params(xrequest, set())
    ids = statements_store(credential=credential, statements=_statement_body(xrequest))
    return JsonResponse(ids, safe=False)


def _answer(xrequest, body, *, attachments: bool) -> HttpResponse:
    """JSON, or with ``attachments=true`` the multipart form with the JSON part (no attachment is stored here)."""
    response = JsonResponse(body, safe=False)
    if not attachments:
        return response
    boundary = uuid.uuid4().hex
    content = (
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode()
        + response.content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return HttpResponse(content, content_type=f'multipart/mixed; boundary="{boundary}"')


def _definitions(payloads, statement_format: str) -> dict:
    """The canonical definitions ``canonical`` needs for these statements (none for the other formats)."""
    if statement_format != "canonical":
        return {}
    return activity_definitions(activity_id for payload in payloads for activity_id, _ in activities_of(payload))


def _format(xrequest) -> str:
    value = xrequest.params.get("format", "exact")
    if value not in FORMATS:
        raise BadRequest("format: ids, exact or canonical.")
    return value


def _parse_query(params: dict) -> StatementQuery:
    def get(name):
        return params.get(name)

    limit = get("limit") or "0"
    if not limit.isdigit():
        raise BadRequest("limit: a non-negative integer.")
    limit = int(limit) or max_page_size()
    for name in ("verb", "activity"):
        if get(name) is not None and not is_iri(get(name)):
            raise BadRequest(f"{name}: an IRI.")
    if get("format") not in (None, *FORMATS):
        raise BadRequest("format: ids, exact or canonical.")
    for name in ("related_activities", "related_agents", "ascending", "attachments"):
        if get(name) not in (None, "true", "false"):
            raise BadRequest(f"{name}: true or false.")
    return StatementQuery(
        agent_ifi=agent_ifi(parse_agent_param(get("agent"), groups=True)) if get("agent") is not None else None,
        verb=get("verb"),
        activity=get("activity"),
        registration=parse_uuid(get("registration"), "registration") if get("registration") is not None else None,
        related_activities=get("related_activities") == "true",
        related_agents=get("related_agents") == "true",
        since=parse_timestamp(get("since"), "since") if get("since") is not None else None,
        until=parse_timestamp(get("until"), "until") if get("until") is not None else None,
        ascending=get("ascending") == "true",
        limit=min(limit, max_page_size()),
    )


def _more_link(credential, params: dict, last) -> str:
    token = signing.dumps(
        {"c": credential.pk, "p": params, "s": last.stored.isoformat(), "i": str(last.id)},
        salt=MORE_SALT,
        compress=True,
    )
    return f"{reverse('lrs:statements')}?more={token}"


def _from_more(xrequest, credential) -> tuple[dict, StatementQuery]:
    check_params(xrequest, {"more"})
    try:
        data = signing.loads(xrequest.params["more"], salt=MORE_SALT, max_age=more_link_seconds())
    except signing.BadSignature:
        raise BadRequest("This more link is not valid, or has expired: run the query again.") from None
    if data["c"] != credential.pk:
        raise Forbidden("This more link belongs to another credential.")
    query = _parse_query(data["p"])
    after = (datetime.fromisoformat(data["s"]), uuid.UUID(data["i"]))
    return data["p"], StatementQuery(**{**query.__dict__, "after": after})


def _get(xrequest, credential):
    params = xrequest.params
    languages = accepted_languages(xrequest.header("Accept-Language") or "")
    if "statementId" in params or "voidedStatementId" in params:
        if "statementId" in params and "voidedStatementId" in params:
            raise BadRequest("Send statementId or voidedStatementId, not both.")
        check_params(xrequest, SINGLE_PARAMS)
        voided = "voidedStatementId" in params
        name = "voidedStatementId" if voided else "statementId"
        statement = statement_get(credential=credential, statement_id=parse_uuid(params[name], name), voided=voided)
        statement_format = _format(xrequest)
        definitions = _definitions([statement.payload], statement_format)
        body = formatted(statement.payload, format=statement_format, languages=languages, definitions=definitions)
        response = _answer(xrequest, body, attachments=bool_param(xrequest, "attachments"))
        last_modified(response, statement.stored)
        return response
    if "more" in params:
        query_params, query = _from_more(xrequest, credential)
    else:
        check_params(xrequest, QUERY_PARAMS)
        query_params, query = dict(params), _parse_query(params)
    rows, more = statements_page(credential=credential, query=query)
    statement_format = query_params.get("format", "exact")
    definitions = _definitions([row.payload for row in rows], statement_format)
    body = {
        "statements": [
            formatted(row.payload, format=statement_format, languages=languages, definitions=definitions)
            for row in rows
        ],
        "more": _more_link(credential, query_params, rows[-1]) if more else "",
    }
    return _answer(xrequest, body, attachments=query_params.get("attachments") == "true")


def _consistent_through() -> dict:
    now = timezone.now().astimezone(UTC)
    return {"X-Experience-API-Consistent-Through": now.isoformat(timespec="milliseconds").replace("+00:00", "Z")}


statements = xapi_view({"GET": _get, "PUT": _put, "POST": _post}, headers=_consistent_through)
