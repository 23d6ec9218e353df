"""My certifications: my certificates with their status and renewal path, the PDF, a share link; what I can earn.

Reads through certifications' selectors, as ``GET /api/v1/certifications`` and ``me/certificates`` do
(``certification_paths``, ``certificates_of``, ``certificate_of``): someone else's certificate is 404, and
the PDF is the API's own response (``certificate_pdf_response``). The share link is the public verification
page (``/verify/<code>/``), with links to add the certificate to a LinkedIn profile or send it by e-mail.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode

from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.images import get_image_model

from certifications.api import certificate_pdf_response, verification_url
from certifications.badges import DEFAULT_BADGE_IMAGE
from certifications.models import Certificate
from certifications.selectors import certificates_of, certification_paths

from ..access import portal_page
from ..models import PortalBranding

#: The badge's size on the pages (a square rendition, sharp on high-density screens).
BADGE_FILTER = "fill-160x160"
LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"

STATUS_LABELS = {
    Certificate.Status.ACTIVE: gettext_lazy("Valid"),
    Certificate.Status.EXPIRING: gettext_lazy("Expiring soon"),
    Certificate.Status.EXPIRED: gettext_lazy("Expired"),
    Certificate.Status.REVOKED: gettext_lazy("Revoked"),
    Certificate.Status.RENEWED: gettext_lazy("Renewed"),
}
#: Which need attention first on the list: expiring, then valid, then lapsed, then revoked.
STATUS_ORDER = ["expiring", "active", "expired", "revoked", "renewed"]


def learning_url(course_id: int) -> str:
    """A course's page in the portal's learning area."""
    return reverse("home:learning_course", args=[course_id])


@dataclass
class Renewal:
    """What the holder must do to keep (or get back) a certificate, in the terms the template words it."""

    state: str  # "later" (window not open yet), "open", "lapsed", "revoked", "none" (no path), "unavailable"
    opens_at: datetime | None = None
    courses: list[dict] = field(default_factory=list)
    unavailable_courses: int = 0
    requires: str = "refresher"  # the certification's rule: "refresher", "retake_courses", "retake_exam", "retake_all"
    exam: dict | None = None

    @property
    def retakes(self) -> bool:
        return self.requires != "refresher"

    @property
    def done(self) -> bool:
        """What the rule asks is done: the new certificate follows (at once, or when the window opens)."""
        if not self.retakes:
            return any(course["done"] for course in self.courses)
        steps = [*self.courses, *([self.exam] if self.exam else [])]
        return bool(steps) and not self.unavailable_courses and all(step["done"] for step in steps)


@dataclass
class CertificateCard:
    certificate: Certificate
    status: str
    days_left: int
    renewal: Renewal | None
    verify_url: str
    badge_url: str | None = None
    linkedin_url: str = ""
    mail_url: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def valid(self) -> bool:
        return self.status in ("active", "expiring")


def renewal_of(certificate: Certificate, status: str, path: dict | None) -> Renewal | None:
    """The renewal path of a current certificate, from its certification's path (``None`` for a renewed one)."""
    if status == "renewed":
        return None
    if path is None:
        return Renewal(state="unavailable")  # the certification is no longer offered to this holder
    renewal = path["renewal"]
    if renewal is None:
        return Renewal(state="none")
    courses = [{**course, "url": learning_url(course["id"])} for course in renewal["courses"]]
    if status == "revoked":
        state = "revoked"
    elif status == "expired":
        state = "lapsed"
    else:
        state = "open" if renewal["opens_at"] <= timezone.now() else "later"
    return Renewal(
        state=state,
        opens_at=renewal["opens_at"],
        courses=courses,
        unavailable_courses=renewal["unavailable_courses"],
        requires=renewal["requires"],
        exam=renewal["exam"],
    )


def share_links(certificate: Certificate, *, verify_url: str, vendor: str) -> tuple[str, str]:
    """LinkedIn's "add to profile" form, filled in, and an e-mail with the verification link."""
    issued, expires = timezone.localtime(certificate.issued_at), timezone.localtime(certificate.expires_at)
    linkedin = f"{LINKEDIN_ADD_TO_PROFILE}?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": certificate.certification.title,
            "organizationName": vendor,
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "expirationYear": expires.year,
            "expirationMonth": expires.month,
            "certUrl": verify_url,
            "certId": certificate.verification_code,
        }
    )
    subject = _("My certification: %(title)s") % {"title": certificate.certification.title}
    body = _("I hold the %(title)s certification from %(vendor)s. Check it here: %(url)s") % {
        "title": certificate.certification.title,
        "vendor": vendor,
        "url": verify_url,
    }
    mail = "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
    return linkedin, mail


def badge_url(certificate: Certificate) -> str:
    """The certification's badge (a rendition, prefetched), or the plain badge Open Badges also uses."""
    image = certificate.certification.badge_image
    return image.get_rendition(BADGE_FILTER).url if image else DEFAULT_BADGE_IMAGE


def my_certificates(user):
    """``certificates_of`` with each badge image and its renditions loaded (two more queries, whatever the count)."""
    return certificates_of(user=user).prefetch_related(
        Prefetch(
            "certification__badge_image",
            queryset=get_image_model().objects.prefetch_renditions(BADGE_FILTER),
        )
    )


def card_for(request, certificate: Certificate, *, paths: dict, vendor: str, now) -> CertificateCard:
    status = certificate.status_at(now)
    verify = verification_url(request, certificate)
    linkedin, mail = share_links(certificate, verify_url=verify, vendor=vendor)
    return CertificateCard(
        certificate=certificate,
        status=status,
        days_left=max((certificate.expires_at - now).days, 0),
        renewal=renewal_of(certificate, status, paths.get(certificate.certification_id)),
        verify_url=verify,
        badge_url=badge_url(certificate),
        linkedin_url=linkedin,
        mail_url=mail,
    )


def requirement_url(certification_id: int, requirement: dict) -> str | None:
    """A course's page in learning, or the exam's page when it is taken on its own (else it is in a course)."""
    if requirement["kind"] == "course":
        return learning_url(requirement["id"])
    return reverse("home:exam", args=[certification_id]) if requirement.get("standalone") else None


def earnable(paths: dict) -> list[dict]:
    """The certifications I do not hold yet, with each requirement's link into learning (or to the exam taken on
    its own, also as ``exam_url`` while it is not passed)."""
    rows = []
    for path in paths.values():
        if path["my_status"] is not None:
            continue
        requirements = [{**r, "url": requirement_url(path["id"], r)} for r in path["requirements"]]
        exam = next((r for r in requirements if r["kind"] == "exam" and r.get("standalone") and not r["done"]), None)
        rows.append({**path, "requirements": requirements, "exam_url": exam["url"] if exam else None})
    return rows


@portal_page
def certificate_list(request):
    now = timezone.now()
    vendor = PortalBranding.load(request_or_site=request).name
    paths = {path["id"]: path for path in certification_paths(user=request.user)}
    cards = [card_for(request, c, paths=paths, vendor=vendor, now=now) for c in my_certificates(request.user)]
    current = sorted(
        (card for card in cards if card.status != "renewed"),
        key=lambda card: (STATUS_ORDER.index(card.status), card.certificate.expires_at),
    )
    context = {
        "current": current,
        "history": [card for card in cards if card.status == "renewed"],
        "earnable": earnable(paths),
        "valid_count": sum(card.valid for card in current),
        "attention_count": sum(card.status != "active" for card in current),
    }
    return TemplateResponse(request, "home/certifications/list.html", context)


@portal_page
def certificate_detail(request, certificate_id: int):
    # certificates_of: the holder's own, as the API's certificate_of; anyone else's is 404.
    certificate = my_certificates(request.user).select_related("renewed_from", "renewal").filter(pk=certificate_id)
    certificate = certificate.first()
    if certificate is None:
        raise Http404
    vendor = PortalBranding.load(request_or_site=request).name
    paths = {path["id"]: path for path in certification_paths(user=request.user)}
    card = card_for(request, certificate, paths=paths, vendor=vendor, now=timezone.now())
    renewal_certificate = getattr(certificate, "renewal", None)
    return TemplateResponse(
        request,
        "home/certifications/detail.html",
        {"card": card, "renewed_from": certificate.renewed_from, "renewed_by": renewal_certificate},
    )


@portal_page
def certificate_pdf(request, certificate_id: int):
    """The certificate's PDF: the API's own response (only the holder gets it; 404 for anyone else's)."""
    return certificate_pdf_response(request, user=request.user, certificate_id=certificate_id)
