"""The public verification page of a certificate (``/verify/<code>/``), where its PDF's link and QR code lead.

Anyone may open it, signed in or not: it says whether the certificate is valid, expired, revoked or renewed,
with the holder's name, the certification and the dates, and nothing else (the same facts as the public API,
``certifications.selectors.verification_of``). An unknown code is 404; asking too often from one address is
429, like the API (``PARTNERHUB_VERIFY_RATE``).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from certifications.api import VerifyThrottle
from certifications.selectors import verification_of
from core.links import public_url

from ..access import portal_enabled


def verification_page_url(request, *, code: str) -> str | None:
    """``core.links``' builder of the page's address (``None`` with the portal switched off)."""
    if not portal_enabled():
        return None
    return public_url(reverse("home:verify_certificate", args=[code]))


@require_GET
def verify_certificate(request, code: str):
    if not portal_enabled():
        raise Http404("The partner portal is switched off.")
    throttle = VerifyThrottle()
    if not throttle.allow_request(request):
        return render(request, "home/verify_throttled.html", status=429)
    verification = verification_of(code=code)
    if verification is None:
        return render(request, "home/verify.html", {"verification": None, "code": code[:64]}, status=404)
    return render(request, "home/verify.html", {"verification": verification})
