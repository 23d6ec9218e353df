"""Reads of certifications for partners (audience-gated), the public verification, and tier compliance."""

from datetime import timedelta

from django.db.models import Count, Prefetch

from courses.models import Course, Enrollment, QuizAttempt

from .models import Certificate, Certification


def certifications_for_partner(*, user):
    """Certifications ``user`` may see; each with ``visible_required_courses`` (only courses they may see)."""
    return (
        Certification.objects.visible_to(user)
        .prefetch_related(
            Prefetch(
                "required_courses",
                queryset=Course.objects.visible_to(user).order_by("title"),
                to_attr="visible_required_courses",
            )
        )
        .annotate(required_courses_total=Count("required_courses", distinct=True))
        .select_related("exam")
        .order_by("title", "pk")
    )


def certificates_of(*, user):
    """``user``'s certificates, the history included, newest first."""
    return Certificate.objects.filter(user=user).select_related("certification", "partner").order_by("-issued_at")


def certificate_of(*, user, certificate_id: int) -> Certificate | None:
    return certificates_of(user=user).filter(pk=certificate_id).first()


def certificate_by_code(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(verification_code=code).select_related("certification", "user").first()


def learner_facts(*, user, certifications) -> tuple[set[int], set[int], dict[int, Certificate]]:
    """Completed course ids, passed quiz ids and current certificates of ``user`` (three queries)."""
    completed = set(
        Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )
    passed = set(QuizAttempt.objects.filter(user=user, passed=True).values_list("quiz_id", flat=True))
    current = {
        c.certification_id: c
        for c in Certificate.objects.filter(
            user=user, certification__in=certifications, superseded_at__isnull=True
        ).select_related("certification")
    }
    return completed, passed, current


FORECAST_DAYS = (30, 60, 90)


def partner_compliance(*, partner, now=None) -> list[dict]:
    """For every tier with requirements: per certification, how many of ``partner``'s active staff hold it
    now and will still hold it in 30/60/90 days (certificates expire, unless renewed), and the gap.

    Holders are the partner's current active members with a current, unrevoked, unexpired
    certificate (a certificate earned at another partner counts for where they are now).
    """
    from django.utils import timezone

    from .models import TierRequirement

    now = now or timezone.now()
    requirements = list(TierRequirement.objects.select_related("tier", "certification").order_by("tier__rank"))
    certificates = list(
        Certificate.objects.filter(
            user__partner_membership__partner=partner,
            user__is_active=True,
            superseded_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            certification__in={r.certification_id for r in requirements},
        ).select_related("user")
    )
    tiers: dict[int, dict] = {}
    for requirement in requirements:
        held = [c for c in certificates if c.certification_id == requirement.certification_id]
        forecast = {
            str(days): len({c.user_id for c in held if c.expires_at > now + timedelta(days=days)})
            for days in FORECAST_DAYS
        }
        holders = len({c.user_id for c in held})
        tier = tiers.setdefault(
            requirement.tier_id,
            {
                "tier": requirement.tier,
                "requirements": [],
                "met": True,
                "met_in": {str(d): True for d in FORECAST_DAYS},
            },
        )
        tier["requirements"].append(
            {
                "certification": requirement.certification,
                "required": requirement.minimum_holders,
                "holders": holders,
                "gap": max(0, requirement.minimum_holders - holders),
                "forecast": forecast,
                "expiring": sorted(
                    (c for c in held if c.expires_at <= now + timedelta(days=max(FORECAST_DAYS))),
                    key=lambda c: c.expires_at,
                ),
            }
        )
        tier["met"] &= holders >= requirement.minimum_holders
        for days, count in forecast.items():
            tier["met_in"][days] &= count >= requirement.minimum_holders
    return sorted(tiers.values(), key=lambda entry: entry["tier"].rank)
