"""A package's files, served from the private storage through a live launch, never by a public URL.

The content is the package author's HTML and script (Articulate, Captivate, iSpring, Rise…), run
inside the player's frame on the hub's origin, as SCORM needs (the SCO reaches ``window.parent.API``).
Its policy (``CONTENT_POLICY``) lets that code do what authoring tools do — inline scripts and styles,
``eval``, ``data:``/``blob:`` media, fonts and workers — but only with the hub's own origin: it loads
nothing from and sends nothing to another site, may frame only the hub's own pages, and may be framed
only by them (``frame-ancestors 'self'``, ``X-Frame-Options: SAMEORIGIN``). Files are read and typed by
``elearning.selectors.package_file`` (404 for a path outside the package), sent with ``nosniff``, cached
privately, and served in part for Range requests (media seeking).
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from csp.constants import NONE, SELF
from csp.decorators import csp

from ..selectors import PackageNotServable, package_file
from .access import launch_or_404

CONTENT_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, "'unsafe-inline'", "'unsafe-eval'", "blob:"],
    "style-src": [SELF, "'unsafe-inline'", "blob:"],
    "img-src": [SELF, "data:", "blob:"],
    "media-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF, "data:", "blob:"],
    "worker-src": [SELF, "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _headers(response, content_type: str):
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    response["Accept-Ranges"] = "bytes"
    return response


@require_safe
@csp(CONTENT_POLICY)
@xframe_options_sameorigin
def package_content(request, token: str, path: str):
    """One file of the launch's package version (404 for a path outside it or a missing file)."""
    launch = launch_or_404(request, token)
    try:
        handle, content_type = package_file(version=launch.attempt.version, path=path)  # 404 outside the package
    except PackageNotServable as refusal:  # its ZIP waits for its virus scan, or was found infected
        return HttpResponse(str(refusal), status=409, content_type="text/plain; charset=utf-8")
    size = handle.size
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and match.group(1) + match.group(2):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _headers(response, content_type)
        handle.seek(start)
        response = StreamingHttpResponse(_chunks(handle, end - start + 1), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        return _headers(response, content_type)
    response = FileResponse(handle)
    response["Content-Length"] = str(size)
    return _headers(response, content_type)
