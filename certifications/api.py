"""Partner API routes of certifications: the catalogue with my progress, my certificates, the PDF, verification,
and my learning transcript (``me/transcript?format=pdf|csv``).

``verify/{code}`` is public (no login) and rate limited per address: it tells anyone
whether a certificate is valid, expiring, expired or revoked, with the holder's name,
the certification and the dates, and nothing else.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.text import slugify

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle

from core.api import PageNumberPagination

from . import badges, selectors
from .pdf import certificate_pdf
from .selectors import VERIFICATION_LINK, verification_url  # noqa: F401 - the portal imports them from here
from .transcript import transcript_csv, transcript_of
from .transcript_pdf import transcript_pdf

router = Router(tags=["certifications"])

Status = Literal["active", "expiring", "expired", "revoked", "renewed"]


class ErrorOut(Schema):
    detail: str


class RequirementOut(Schema):
    kind: Literal["course", "exam"]
    id: int
    title: str
    done: bool
    standalone: bool = Field(
        False, description="An exam taken on its own, without a course: GET certifications/{id}/exam."
    )


class RenewalOut(Schema):
    requires: Literal["refresher", "retake_courses", "retake_exam", "retake_all"] = Field(
        description="refresher: complete any one of `courses`; retake_courses: complete every one of `courses` "
        "(the required courses) again, retaking them (POST courses/{id}/retake); retake_exam: pass `exam` again; "
        "retake_all: both."
    )
    opens_at: datetime = Field(
        description="When my certificate may be renewed (lapsed or revoked: earn it again now)."
    )
    counts_from: datetime = Field(
        description="What I complete after this counts: the issue (refresher), the window's opening (retakes), "
        "or the revocation."
    )
    courses: list[RequirementOut] = Field(description="The courses to complete; done: completed since `counts_from`.")
    exam: RequirementOut | None = Field(description="The exam to pass again (retake_exam, retake_all).")
    unavailable_courses: int = Field(
        description="Courses (or the exam) the renewal needs that are outside what I may see (never named)."
    )


class CertificationOut(Schema):
    id: int
    title: str
    summary: str
    validity_months: int
    renewal_window_days: int
    requirements: list[RequirementOut]
    unavailable_requirements: int = Field(
        description="Required courses, and the exam, outside what I may see (counted, never named)."
    )
    progress_percent: int
    my_status: Status | None = Field(description="Of my current certificate; null when I hold none.")
    my_certificate_id: int | None
    renewal: RenewalOut | None = Field(
        description="How to renew my certificate; null when I hold none or there is no renewal path."
    )


@router.get("/certifications", response=list[CertificationOut], summary="Certifications I may earn, with my progress")
@paginate(PageNumberPagination)
def list_certifications(request):
    return selectors.certification_paths(user=request.auth)


def certification_preview(request, certification) -> dict:
    """A certification as an editor previews it (unsaved changes included): its path, nobody's progress."""
    certification.visible_required_courses = list(certification.required_courses.all())
    certification.required_courses_total = len(certification.visible_required_courses)
    certification.exam_visible = True  # editors preview the whole path
    return selectors.certification_path(certification, completed={}, passed=set(), current={})


class CertificateOut(Schema):
    id: int
    certification_id: int
    certification: str
    partner: str | None
    issued_at: datetime
    expires_at: datetime
    status: Status
    revocation_reason: str
    renewed_from_id: int | None
    verification_url: str
    pdf_url: str
    open_badge_url: str = Field(description="The Open Badges 2.0 assertion, for a backpack or a profile.")


@router.get("/me/certificates", response=list[CertificateOut], summary="My certificates, renewals included")
@paginate(PageNumberPagination)
def my_certificates(request):
    return [
        {
            "id": c.pk,
            "certification_id": c.certification_id,
            "certification": c.certification.title,
            "partner": c.partner.name if c.partner else None,
            "issued_at": c.issued_at,
            "expires_at": c.expires_at,
            "status": c.status,
            "revocation_reason": c.revocation_reason,
            "renewed_from_id": c.renewed_from_id,
            "verification_url": verification_url(request, c),
            "pdf_url": request.build_absolute_uri(reverse("api-v1:certificate_pdf", args=[c.pk])),
            "open_badge_url": request.build_absolute_uri(
                reverse("api-v1:certificate_badge", args=[c.verification_code])
            ),
        }
        for c in selectors.certificates_of(user=request.auth)
    ]


@router.get(
    "/certificates/{int:certificate_id}/pdf",
    url_name="certificate_pdf",
    response={200: None, 404: ErrorOut},
    summary="My certificate as a PDF",
    description="A one-page PDF with the verification code, URL and QR code. Only the holder gets it.",
)
def certificate_pdf_view(request, certificate_id: int):
    return certificate_pdf_response(request, user=request.auth, certificate_id=certificate_id)


def certificate_pdf_response(request, *, user, certificate_id: int) -> HttpResponse:
    """``user``'s certificate as a PDF attachment; ``Http404`` for anyone else's (this route and the portal's)."""
    certificate = selectors.certificate_of(user=user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    body = certificate_pdf(
        certificate=certificate,
        holder_name=selectors.holder_name(user),
        verify_url=verification_url(request, certificate),
    )
    response = HttpResponse(body, content_type="application/pdf")
    name = slugify(f"{certificate.certification.title}-{certificate.issued_at:%Y-%m-%d}") or "certificate"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


TRANSCRIPT_FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


@router.get(
    "/me/transcript",
    url_name="my_transcript",
    response={200: None, 400: ErrorOut},
    summary="My learning transcript as a PDF or CSV",
    description="Every round of every course (lessons done, learning package results), every quiz and exam attempt "
    "(in a course's round, or a certification's exam taken on its own), every learning package attempt and every "
    "certificate with its verification URL. `format`: `pdf` (default) or `csv`.",
)
def my_transcript(request, file_format: str = Query("pdf", alias="format")):
    if file_format not in TRANSCRIPT_FORMATS:
        return 400, {"detail": "Unknown format: choose pdf or csv."}
    return transcript_response(request, user=request.auth, file_format=file_format)


def transcript_response(request, *, user, file_format: str, viewer=None) -> HttpResponse:
    """``user``'s transcript as a PDF or CSV attachment (this route, the portal, My team and the admin: each checks
    first who may read it); ``file_format`` is one of ``TRANSCRIPT_FORMATS``; ``viewer``: see ``transcript_of``."""
    transcript = transcript_of(user=user, request=request, viewer=viewer)
    # CSV with a BOM: spreadsheets read it as UTF-8.
    body = ("\ufeff" + transcript_csv(transcript)).encode() if file_format == "csv" else transcript_pdf(transcript)
    response = HttpResponse(body, content_type=TRANSCRIPT_FORMATS[file_format])
    name = slugify(f"transcript-{transcript.name}-{transcript.generated_at:%Y-%m-%d}") or "transcript"
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


class VerificationOut(Schema):
    valid: bool = Field(description="Active or expiring: the holder is certified today.")
    status: Status
    holder: str
    certification: str
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class VerifyThrottle(AnonRateThrottle):
    def __init__(self):
        super().__init__(settings.PARTNERHUB_VERIFY_RATE)


@router.get(
    "/verify/{code}",
    auth=None,
    throttle=[VerifyThrottle()],
    response={200: VerificationOut, 404: ErrorOut},
    summary="Verify a certificate (public)",
    description="Anyone may check a certificate by its code: whether it is valid, expired or revoked, with the "
    "holder's name, the certification and the dates; nothing else. Rate limited per address.",
)
def verify_certificate(request, code: str):
    verification = selectors.verification_of(code=code)
    if verification is None:
        raise Http404
    return verification


@router.get(
    "/verify/{code}/badge",
    auth=None,
    throttle=[VerifyThrottle()],
    url_name="certificate_badge",
    response={200: dict, 404: ErrorOut, 410: dict},
    summary="A certificate as an Open Badges 2.0 assertion (public)",
    description="The hosted Open Badges 2.0 assertion of a certificate, its badge class and issuer embedded; the "
    "recipient is the holder's e-mail, salted and hashed. A revoked certificate answers 410 with `revoked` (the "
    "reason stays private). Rate limited per address, like verification.",
)
def certificate_badge(request, code: str):
    certificate = selectors.certificate_by_code(code=code[:64])
    if certificate is None:
        raise Http404
    url = request.build_absolute_uri(reverse("api-v1:certificate_badge", args=[certificate.verification_code]))
    image = certificate.certification.badge_image
    image_url = request.build_absolute_uri(image.get_rendition("fill-400x400").url) if image else None
    body = badges.assertion(certificate=certificate, url=url, image_url=image_url)
    return JsonResponse(body, status=410 if body.get("revoked") else 200, content_type="application/ld+json")


class HolderOut(Schema):
    name: str
    expires_at: datetime
    leaves_on: date | None = Field(description="Their last day at the partner, when notice is given.")


class RequirementStatusOut(Schema):
    certification_id: int | None = Field(description="Null for a certification outside what I may see.")
    certification: str | None = Field(description="Null for a certification outside what I may see (never named).")
    required: int
    holders: int
    gap: int = Field(description="How many more holders the tier needs today.")
    forecast: dict[str, int] = Field(description="Holders still certified (and still here) in 30, 60 and 90 days.")
    at_risk: list[HolderOut] = Field(
        description="Holders who stop counting within 90 days: their certificate expires (unless renewed) "
        "or they leave."
    )


class TierComplianceOut(Schema):
    tier: str
    rank: int
    is_my_tier: bool
    met: bool
    met_in: dict[str, bool] = Field(description="Whether it will still be met in 30, 60 and 90 days.")
    falls_below_within: int | None = Field(
        description="Met today but not in this many days (30, 60 or 90): act now. Null otherwise."
    )
    requirements: list[RequirementStatusOut]


class ComplianceOut(Schema):
    partner: str
    tier: str
    tiers: list[TierComplianceOut]


@router.get(
    "/me/partner/compliance",
    response={200: ComplianceOut, 404: ErrorOut},
    summary="My partner's certification compliance (partner admins)",
    description="For each tier with certification requirements: who holds what, the gap today, and whether the "
    "requirements will still be met in 30/60/90 days as certificates expire and certified staff leave. "
    "Only for users with the `admin` role "
    "of their partner; others get 404.",
)
def partner_compliance(request):
    partner = selectors.partner_administered_by(user=request.auth)
    if partner is None:
        raise Http404
    # Another tier may require a certification this admin's audience does not cover: counted, never named.
    visible = selectors.visible_certification_ids(user=request.auth)
    return {
        "partner": partner.name,
        "tier": partner.tier.name,
        "tiers": [
            {
                "tier": entry["tier"].name,
                "rank": entry["tier"].rank,
                "is_my_tier": entry["tier"].pk == partner.tier_id,
                "met": entry["met"],
                "met_in": entry["met_in"],
                "falls_below_within": entry["falls_below_within"],
                "requirements": [
                    {
                        "certification_id": r["certification"].pk if r["certification"].pk in visible else None,
                        "certification": r["certification"].title if r["certification"].pk in visible else None,
                        "required": r["required"],
                        "holders": r["holders"],
                        "gap": r["gap"],
                        "forecast": r["forecast"],
                        "at_risk": [
                            {"name": h.name, "expires_at": h.expires_at, "leaves_on": h.leaves_on}
                            for h in r["at_risk"]
                        ],
                    }
                    for r in entry["requirements"]
                ],
            }
            for entry in selectors.partner_compliance(partner=partner)
        ],
    }
