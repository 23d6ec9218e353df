"""Open Badges 2.0: a certificate as a hosted assertion, with its badge class and issuer embedded.

The assertion lives at ``/api/v1/verify/{code}/badge`` (public, like verification), so
backpacks and verifiers can fetch and check it. Like verification, it tells the certification's
title and dates, not its gated courses or description; a revoked certificate answers 410 Gone
with ``revoked``, as the specification asks (the reason, free text about a person, is not
published). The recipient is the holder's e-mail, salted and hashed (SHA-256): the assertion
proves the badge to whoever knows the address, and does not print it.
"""

import base64
import hashlib
import hmac

from django.conf import settings

from core.links import public_url

CONTEXT = "https://w3id.org/openbadges/v2"

# A plain badge for certifications without a badge image (Open Badges needs an image; a data URI is allowed).
DEFAULT_BADGE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
    '<circle cx="128" cy="128" r="120" fill="#28285a"/><circle cx="128" cy="128" r="100" fill="none" '
    'stroke="#ffffff" stroke-width="6"/><path d="M80 132l32 32 64-72" fill="none" stroke="#ffffff" '
    'stroke-width="16" stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
DEFAULT_BADGE_IMAGE = "data:image/svg+xml;base64," + base64.b64encode(DEFAULT_BADGE_SVG.encode()).decode()


def recipient_identity(*, email: str, code: str) -> dict:
    """The holder's address, hashed with a salt derived (with the secret key) from the certificate's code."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"badge-salt:{code}".encode(), hashlib.sha256).hexdigest()[:16]
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "email", "hashed": True, "salt": salt, "identity": f"sha256${digest}"}


def issuer_profile(*, url: str) -> dict:
    return {
        "id": f"{url}#issuer",
        "type": "Profile",
        "name": settings.PARTNERHUB_BADGE_ISSUER_NAME,
        "url": settings.PARTNERHUB_BADGE_ISSUER_URL or public_url(),
        "email": settings.PARTNERHUB_BADGE_ISSUER_EMAIL,
    }


def badge_class(*, certification, url: str, image_url: str | None) -> dict:
    """The badge class. Public, like verification: it names the certification, never its (gated) courses."""
    courses = certification.required_courses.count()
    steps = [f"completing {courses} required course{'s' if courses != 1 else ''}"] if courses else []
    if certification.exam_id:
        steps.append("passing the final exam")
    return {
        "id": f"{url}#badge",
        "type": "BadgeClass",
        "name": certification.title,
        "description": f"Certified in “{certification.title}” by {settings.PARTNERHUB_BADGE_ISSUER_NAME}.",
        "image": image_url or DEFAULT_BADGE_IMAGE,
        "criteria": {
            "narrative": f"Earned by {' and '.join(steps)}; valid for {certification.validity_months} months."
        },
        "issuer": issuer_profile(url=url),
    }


def assertion(*, certificate, url: str, image_url: str | None) -> dict:
    """The Open Badges 2.0 assertion of ``certificate``, hosted at ``url``."""
    if certificate.revoked_at:
        # The reason is free text about a person: the holder sees it, the public only that it is revoked.
        return {"@context": CONTEXT, "id": url, "type": "Assertion", "revoked": True}
    return {
        "@context": CONTEXT,
        "id": url,
        "type": "Assertion",
        "recipient": recipient_identity(email=certificate.user.email, code=certificate.verification_code),
        "badge": badge_class(certification=certificate.certification, url=url, image_url=image_url),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.isoformat(),
        "expires": certificate.expires_at.isoformat(),
    }
