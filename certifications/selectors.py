"""Reads of certifications for partners (audience-gated), the public verification, and tier compliance."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from core.links import link_for, public_url
from courses.models import Course, Enrollment, QuizAttempt
from courses.selectors import quizzes_for_partner
from partners.models import PARTNER_ADMIN_ROLE, Partner, PartnerMembership, past_last_day

from .models import Certificate, Certification, RenewalRequires, TierRequirement
from .renewal import RETAKES_COURSES, RETAKES_EXAM, has_renewal_path, renewal_counts_from

#: The name under which the portal registers its verification page (``core.links``).
VERIFICATION_LINK = "certificate_verification"


def certifications_for_partner(*, user):
    """Certifications ``user`` may see; each with ``visible_required_courses`` and ``visible_renewal_courses``
    (only courses they may see), the totals of both, and ``exam_visible`` (taken on its own, or a course they may see
    uses it)."""
    return (
        Certification.objects.visible_to(user)
        .prefetch_related(
            Prefetch(
                "required_courses",
                queryset=Course.objects.visible_to(user).order_by("title"),
                to_attr="visible_required_courses",
            ),
            Prefetch(
                "renewal_courses",
                queryset=Course.objects.visible_to(user).order_by("title"),
                to_attr="visible_renewal_courses",
            ),
        )
        .annotate(
            required_courses_total=Count("required_courses", distinct=True),
            renewal_courses_total=Count("renewal_courses", distinct=True),
            # A stand-alone exam is visible with its certification; another, when a course I may see uses it.
            exam_visible=ExpressionWrapper(
                Q(exam_standalone=True) | Exists(quizzes_for_partner(user=user).filter(pk=OuterRef("exam_id"))),
                output_field=BooleanField(),
            ),
        )
        .select_related("exam")
        .order_by("title", "pk")
    )


def visible_certification_ids(*, user) -> set[int]:
    """Ids of the certifications ``user`` may see (live, in their audience)."""
    return set(Certification.objects.visible_to(user).values_list("pk", flat=True))


def certificates_of(*, user):
    """``user``'s certificates, the history included, newest first."""
    return Certificate.objects.filter(user=user).select_related("certification", "partner").order_by("-issued_at")


def certificate_of(*, user, certificate_id: int) -> Certificate | None:
    return certificates_of(user=user).filter(pk=certificate_id).first()


def verification_url(request, certificate) -> str:
    """The human-readable verification page when the portal serves one (``core.links``), else the API's."""
    code = certificate.verification_code
    return link_for(VERIFICATION_LINK, request, code=code) or public_url(
        reverse("api-v1:verify_certificate", args=[code])
    )


def holder_name(user) -> str:
    return user.get_full_name() or user.get_username()


def verification_of(*, code: str, now=None) -> dict | None:
    """What anyone may learn of a certificate from its code (public verification): whether it is valid, its
    status, the holder's name, the certification and the dates. Nothing else. ``None`` for an unknown code."""
    certificate = certificate_by_code(code=(code or "")[:64])
    if certificate is None:
        return None
    status = certificate.status_at(now)
    return {
        "valid": status in ("active", "expiring"),
        "status": status,
        "holder": holder_name(certificate.user),
        "certification": certificate.certification.title,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "revoked_at": certificate.revoked_at,
    }


def certificate_by_code(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(verification_code=code).select_related("certification", "user").first()


def learner_facts(*, user, certifications) -> tuple[dict[int, datetime], set[int], dict[int, Certificate]]:
    """When ``user`` last completed each course (their latest completed round), the quizzes passed as an exam
    counts them (within the attempt limit), and current certificates (three queries)."""
    completed = dict(
        Enrollment.objects.filter(user=user, completed_at__isnull=False)
        .order_by("completed_at")  # the latest round wins
        .values_list("course_id", "completed_at")
    )
    passed = set(QuizAttempt.objects.passes_within_limit().filter(user=user).values_list("quiz_id", flat=True))
    current = {
        c.certification_id: c
        for c in Certificate.objects.filter(
            user=user, certification__in=certifications, superseded_at__isnull=True
        ).select_related("certification")
    }
    return completed, passed, current


def certification_paths(*, user) -> list[dict]:
    """Each certification ``user`` may see with their path to it: requirements done or not, progress, their
    current certificate's status and how to renew it (``certification_path``). The API's list and the portal
    read this; a fixed number of queries whatever the number of certifications."""
    certifications = list(certifications_for_partner(user=user))
    completed, passed, current = learner_facts(user=user, certifications=certifications)
    retaking_exams = [c.exam_id for c in certifications if c.pk in current and c.renewal_requires in RETAKES_EXAM]
    exam_passes = exam_passes_of(user=user, quiz_ids=retaking_exams) if retaking_exams else {}
    return [
        certification_path(c, completed=completed, passed=passed, current=current, exam_passes=exam_passes)
        for c in certifications
    ]


def exam_passes_of(*, user, quiz_ids) -> dict:
    """When ``user`` last started an attempt they passed, per quiz of ``quiz_ids`` (one query)."""
    rows = QuizAttempt.objects.filter(user=user, quiz_id__in=quiz_ids, passed=True).values_list("quiz_id")
    return dict(rows.annotate(last=Max("started_at")).order_by())


def certification_path(certification, *, completed: dict, passed: set, current: dict, exam_passes=None) -> dict:
    """One certification (from ``certifications_for_partner``) against a learner's ``learner_facts``."""
    requirements = [
        {"kind": "course", "id": c.pk, "title": c.title, "done": c.pk in completed}
        for c in certification.visible_required_courses
    ]
    if certification.exam and certification.exam_visible:
        exam = certification.exam
        requirements.append(
            {
                "kind": "exam",
                "id": exam.pk,
                "title": exam.title,
                "done": exam.pk in passed,
                "standalone": certification.exam_standalone,
            }
        )
    # A required course or an exam I may not see is counted (never named): I cannot take it, so it is never done.
    hidden = certification.required_courses_total - len(certification.visible_required_courses)
    hidden += bool(certification.exam_id and not certification.exam_visible)
    done = sum(r["done"] for r in requirements)
    total = len(requirements) + hidden
    mine = current.get(certification.pk)
    return {
        "id": certification.pk,
        "title": certification.title,
        "summary": certification.summary,
        "validity_months": certification.validity_months,
        "renewal_window_days": certification.renewal_window_days,
        "requirements": requirements,
        "unavailable_requirements": hidden,
        "progress_percent": round(100 * done / total) if total else 0,
        "my_status": mine.status if mine else None,
        "my_certificate_id": mine.pk if mine else None,
        "renewal": renewal_path(certification, mine=mine, completed=completed, exam_passes=exam_passes or {}),
    }


def renewal_path(certification, *, mine, completed: dict, exam_passes: dict) -> dict | None:
    """How ``mine`` (the current certificate) is renewed, as the certification's rule asks (``renewal``): what
    (``requires``), when (``opens_at``; lapsed or revoked: now), the courses (any one of the renewal courses,
    or every required course again) and the exam to pass again, each done or not since it counts;
    ``None`` without a certificate or a renewal path."""
    if mine is None or not has_renewal_path(certification, renewal_courses_total=certification.renewal_courses_total):
        return None
    since = renewal_counts_from(mine)
    lapsed = mine.revoked_at or mine.expires_at <= timezone.now()
    rule = certification.renewal_requires
    if rule == RenewalRequires.REFRESHER:
        courses, total = certification.visible_renewal_courses, certification.renewal_courses_total
    elif rule in RETAKES_COURSES:
        courses, total = certification.visible_required_courses, certification.required_courses_total
    else:
        courses, total = [], 0
    exam = None
    unavailable = total - len(courses)
    if rule in RETAKES_EXAM and certification.exam_id:
        if certification.exam_visible:
            done = exam_passes.get(certification.exam_id, since) > since
            exam = {"kind": "exam", "id": certification.exam_id, "title": certification.exam.title, "done": done}
        else:
            unavailable += 1
    return {
        "requires": rule,
        "opens_at": timezone.now() if lapsed else mine.renewal_opens_at,
        "counts_from": since,
        "courses": [
            {"kind": "course", "id": c.pk, "title": c.title, "done": completed.get(c.pk, since) > since}
            for c in courses
        ],
        "exam": exam,
        "unavailable_courses": unavailable,
    }


FORECAST_DAYS = (30, 60, 90)


@dataclass(frozen=True)
class Holding:
    """One current, unrevoked, unexpired certificate of an active member of a partner."""

    partner_id: int
    user_id: int
    certification_id: int
    expires_at: datetime
    leaves_on: date | None  # the member's last day at the partner, when notice is given
    name: str

    def counts_at(self, moment: datetime) -> bool:
        """Whether it still counts for the partner at ``moment``: not expired, and the holder not gone."""
        return self.expires_at > moment and (self.leaves_on is None or self.leaves_on >= localdate(moment))

    @property
    def lost_on(self) -> date:
        """The day it stops counting: the certificate's expiry, or the holder's last day if sooner."""
        expiry = localdate(self.expires_at)
        return min(expiry, self.leaves_on) if self.leaves_on else expiry


def holdings(*, certification_ids, partner_ids=None, now) -> list[Holding]:
    """The holdings of ``certification_ids`` by the members of ``partner_ids`` (all partners: ``None``); one query.

    A certificate counts where its holder is a member today (one earned at another
    partner moves with them); deactivated users and members past their last day do not count.
    """
    certificates = Certificate.objects.filter(
        user__is_active=True,
        superseded_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        certification_id__in=certification_ids,
        user__partner_membership__isnull=False,
    ).exclude(past_last_day(localdate(now), prefix="user__partner_membership__"))
    if partner_ids is not None:
        certificates = certificates.filter(user__partner_membership__partner_id__in=partner_ids)
    rows = certificates.order_by().values_list(
        "user__partner_membership__partner_id",
        "user_id",
        "certification_id",
        "expires_at",
        "user__partner_membership__leaves_on",
        "user__first_name",
        "user__last_name",
        "user__username",
    )
    return [
        Holding(partner, user, certification, expires_at, leaves_on, f"{first} {last}".strip() or username)
        for partner, user, certification, expires_at, leaves_on, first, last, username in rows
    ]


def requirement_status(*, requirement, holdings: list[Holding], now) -> dict:
    """One tier requirement against a partner's ``holdings``: holders today, gap, forecast, who is at risk."""
    held = [h for h in holdings if h.certification_id == requirement.certification_id]
    holders = len({h.user_id for h in held})
    forecast = {
        str(days): len({h.user_id for h in held if h.counts_at(now + timedelta(days=days))}) for days in FORECAST_DAYS
    }
    horizon = now + timedelta(days=max(FORECAST_DAYS))
    return {
        "certification": requirement.certification,
        "required": requirement.minimum_holders,
        "holders": holders,
        "gap": max(0, requirement.minimum_holders - holders),
        "forecast": forecast,
        "at_risk": sorted((h for h in held if not h.counts_at(horizon)), key=lambda h: (h.lost_on, h.name)),
    }


def tier_status(*, tier, requirements, holdings: list[Holding], now) -> dict:
    """Whether a partner with ``holdings`` meets ``tier``'s ``requirements`` today and in 30/60/90 days."""
    statuses = [requirement_status(requirement=r, holdings=holdings, now=now) for r in requirements]
    met_in = {str(days): all(s["forecast"][str(days)] >= s["required"] for s in statuses) for days in FORECAST_DAYS}
    met = all(s["holders"] >= s["required"] for s in statuses)
    falls_below_within = None if not met else next((int(d) for d, ok in met_in.items() if not ok), None)
    return {
        "tier": tier,
        "requirements": statuses,
        "met": met,
        "met_in": met_in,
        "falls_below_within": falls_below_within,  # days (30, 60 or 90) when met today but not then
    }


def partner_administered_by(*, user):
    """The partner (its tier loaded) of which ``user`` is a partner admin (role ``admin``); ``None`` otherwise."""
    membership = (
        PartnerMembership.objects.filter(user=user, roles__key=PARTNER_ADMIN_ROLE)
        .select_related("partner__tier")
        .first()
    )
    return membership.partner if membership else None


def tier_requirements() -> dict[int, list]:
    """Every tier's certification requirements, by tier id (one query)."""
    by_tier: dict[int, list] = {}
    for requirement in TierRequirement.objects.select_related("tier", "certification").order_by(
        "tier__rank", "certification__title"
    ):
        by_tier.setdefault(requirement.tier_id, []).append(requirement)
    return by_tier


def partner_compliance(*, partner, now=None) -> list[dict]:
    """``partner`` against every tier with requirements (its own and the others, to keep or to reach), by rank."""
    now = now or timezone.now()
    by_tier = tier_requirements()
    certification_ids = {r.certification_id for requirements in by_tier.values() for r in requirements}
    held = holdings(certification_ids=certification_ids, partner_ids=[partner.pk], now=now)
    return [
        tier_status(tier=requirements[0].tier, requirements=requirements, holdings=held, now=now)
        for requirements in sorted(by_tier.values(), key=lambda requirements: requirements[0].tier.rank)
    ]


def partners_compliance(*, partners=None, now=None) -> list[dict]:
    """Each active partner (of ``partners``, a queryset) whose tier has requirements, against its own tier.

    A fixed number of queries whatever the number of partners: the requirements, the
    partners, and the holdings of the certifications required.
    """
    now = now or timezone.now()
    by_tier = tier_requirements()
    partners = (Partner.objects.all() if partners is None else partners).filter(
        is_active=True, tier_id__in=list(by_tier)
    )
    partners = list(partners.select_related("tier", "channel_manager").order_by("name", "pk"))
    certification_ids = {r.certification_id for requirements in by_tier.values() for r in requirements}
    by_partner: dict[int, list[Holding]] = {}
    partner_ids = [p.pk for p in partners] if len(partners) < 1000 else None  # many: one scan beats a long IN list
    for holding in holdings(certification_ids=certification_ids, partner_ids=partner_ids, now=now):
        by_partner.setdefault(holding.partner_id, []).append(holding)
    return [
        {
            "partner": partner,
            **tier_status(
                tier=partner.tier,
                requirements=by_tier[partner.tier_id],
                holdings=by_partner.get(partner.pk, []),
                now=now,
            ),
        }
        for partner in partners
    ]


def compliance_alert_recipients(*, partner) -> list[str]:
    """Who a compliance alert of ``partner`` is e-mailed to: its active channel manager with an address, or else
    ``COMPLIANCE_ALERT_FALLBACK_EMAILS`` (possibly no one)."""
    manager = partner.channel_manager
    if manager and manager.is_active and manager.email:
        return [manager.email]
    return list(settings.COMPLIANCE_ALERT_FALLBACK_EMAILS)
