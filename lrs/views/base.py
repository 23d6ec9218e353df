"""What every xAPI resource shares: the request as xAPI sees it, version header, Basic auth, errors.

``XapiRequest`` hides the Alternate Request Syntax (Communication §1.3): a POST with ``?method=PUT``
(and headers, parameters and content as form fields) is handled exactly like the request it stands for.
Every answer carries ``X-Experience-API-Version``; errors are JSON ``{"detail": …}`` with xAPI's codes.
"""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse, QueryDict
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from ..conf import XAPI_VERSION, max_body_bytes
from ..errors import BadRequest, TooLarge, XapiError
from ..selectors import credential_authenticate
from ..services import credential_touch

_VERSION = re.compile(r"^1\.0(\.\d+)?$")
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
FORM_HEADERS = {
    "authorization": "Authorization",
    "x-experience-api-version": "X-Experience-API-Version",
    "content-type": "Content-Type",
    "content-length": "Content-Length",
    "if-match": "If-Match",
    "if-none-match": "If-None-Match",
}


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    django: object = None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


def _read_body(request) -> bytes:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("Content-Length is not a number.") from None
    if length > max_body_bytes():
        raise TooLarge(f"The request body is over {max_body_bytes()} bytes.")
    try:
        body = request.body
    except RequestDataTooBig:
        raise TooLarge("The request body is too large.") from None
    if len(body) > max_body_bytes():
        raise TooLarge(f"The request body is over {max_body_bytes()} bytes.")
    return body


def xapi_request(request) -> XapiRequest:
    """The request as xAPI sees it, alternate syntax unwrapped."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    body = _read_body(request)
    if request.method == "POST" and "method" in request.GET:
        if set(request.GET) != {"method"}:
            raise BadRequest("With the alternate request syntax, every parameter but 'method' is a form field.")
        method = request.GET["method"].upper()
        if method not in METHODS:
            raise BadRequest("method: GET, PUT, POST or DELETE.")
        try:
            form = QueryDict(body, encoding="utf-8")
        except UnicodeDecodeError:
            raise BadRequest("The form is not UTF-8.") from None
        params, content = {}, b""
        for name, value in form.items():
            if name == "content":
                content = value.encode("utf-8")
            elif name.lower() in FORM_HEADERS:
                headers[name.lower()] = value
            else:
                params[name] = value
        headers.pop("content-length", None)
        return XapiRequest(method=method, params=params, headers=headers, body=content, django=request)
    return XapiRequest(method=request.method, params=request.GET.dict(), headers=headers, body=body, django=request)


def error_response(error: XapiError) -> JsonResponse:
    response = JsonResponse({"detail": error.message}, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def check_version(xrequest: XapiRequest) -> None:
    version = xrequest.header("X-Experience-API-Version")
    if version is None:
        raise BadRequest("Send the X-Experience-API-Version header (this LRS speaks 1.0.x).")
    if not _VERSION.match(version.strip()):
        raise BadRequest(f"X-Experience-API-Version {version!r} is not supported: send 1.0.x.")


def check_params(xrequest: XapiRequest, allowed: set[str]) -> None:
    """xAPI refuses parameters it does not know, and known ones spelt in another case (Communication §3.2)."""
    unknown = sorted(set(xrequest.params) - allowed)
    if unknown:
        raise BadRequest(f"Unknown parameter {unknown[0]!r} here.")


def parse_json(body: bytes, what: str = "The request body"):
    """JSON as xAPI wants it: UTF-8, no repeated property, no NaN or Infinity."""

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise BadRequest(f"{what} repeats a property.")
        return dict(pairs)

    def no_constants(name):
        raise BadRequest(f"{what} is not valid JSON ({name}).")

    try:
        return json.loads(body.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(f"{what} is not valid JSON.") from None


def bool_param(xrequest: XapiRequest, name: str) -> bool:
    value = xrequest.params.get(name, "false")
    if value not in ("true", "false"):
        raise BadRequest(f"{name}: true or false.")
    return value == "true"


def last_modified(response: HttpResponse, moment) -> None:
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())


def document_response(document) -> HttpResponse:
    """A stored document (state or profile) as its writer sent it, never rendered by a browser on our origin.

    A learner's credential may store any bytes under any type: served inline, ``text/html`` would be a page of
    theirs on the hub's address (a form posted cross-site with ``?method=GET`` fetches it). So anything but JSON
    is an attachment, and every document is sandboxed with nothing allowed.
    """
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    if document.content_type.split(";")[0].strip().lower() != "application/json":
        response["Content-Disposition"] = "attachment"
    last_modified(response, document.updated)
    return response


def xapi_view(handlers: dict, *, public: bool = False, headers=None):
    """A view answering each method with ``handlers[method](xrequest, credential)``.

    ``public`` resources (about) need neither credentials nor the version header. ``headers()`` adds
    headers to every answer, errors included (the statements resource's ``Consistent-Through``).
    """
    allowed = sorted({*handlers, "OPTIONS", *(["HEAD"] if "GET" in handlers else [])})

    @csrf_exempt
    def view(request):
        try:
            if request.method == "OPTIONS":
                response = HttpResponse(status=200)
                response["Allow"] = ", ".join(allowed)
            else:
                xrequest = xapi_request(request)
                method = "GET" if xrequest.method == "HEAD" else xrequest.method
                if method not in handlers:
                    response = JsonResponse({"detail": f"{xrequest.method} is not allowed here."}, status=405)
                    response["Allow"] = ", ".join(allowed)
                else:
                    credential = None
                    if not public:
                        check_version(xrequest)
                        credential = credential_authenticate(xrequest.header("Authorization"))
                        credential_touch(credential=credential)
                    response = handlers[method](xrequest, credential)
                    if xrequest.method == "HEAD":
                        response.content = b""
        except XapiError as error:
            response = error_response(error)
        response["X-Experience-API-Version"] = XAPI_VERSION
        for name, value in (headers() if headers else {}).items():
            response[name] = value
        return response

    return view
