"""What the pages of "My team" read, composed of the apps' own selectors (a fixed number of queries each).

A member's learning and certificates are shown through the audience rule of the *viewer* (the partner admin): a
course or certification the admin may not see is counted, never named, as ``GET me/partner/compliance`` does.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from certifications.models import Certification
from certifications.selectors import certificates_of, partner_compliance, visible_certification_ids
from courses.models import Enrollment
from courses.selectors import courses_for_partner, learner_state
from partners.invitations import invitations_of
from partners.members import members_of

#: Invitations listed at most (open ones, newest first); older ones are in the API's paginated list.
INVITATIONS_SHOWN = 100


def members_matching(*, partner, query: str = "", status: str = ""):
    """The partner's members (``partners.members.members_of``) whose name or e-mail has every word of ``query``."""
    members = members_of(partner=partner)
    for word in query.split()[:5]:
        members = members.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word) | Q(user__email__icontains=word)
        )
    if status == "active":
        members = members.filter(user__is_active=True)
    elif status == "deactivated":
        members = members.filter(user__is_active=False)
    return members


def open_invitations(*, partner) -> list:
    """Invitations awaiting an answer (pending or expired: both can be resent or revoked), newest first."""
    invitations = invitations_of(partner=partner).filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return list(invitations[:INVITATIONS_SHOWN])


@dataclass
class CourseRow:
    enrollment: Enrollment
    percent: int
    overdue: bool


@dataclass
class Learning:
    courses: list[CourseRow] = field(default_factory=list)
    hidden: int = 0  # enrolments in courses the viewer may not see


def member_learning(*, member, viewer, today=None) -> Learning:
    """``member``'s enrolments in courses ``viewer`` may see, with progress and due dates (eight queries)."""
    today = today or timezone.localdate()
    visible = courses_for_partner(user=viewer)
    enrollments = list(
        Enrollment.objects.current()
        .filter(user=member, course__in=visible)
        .select_related("course")
        .order_by("completed_at", "due_date", "course__title", "pk")
    )
    hidden = Enrollment.objects.current().filter(user=member).exclude(course__in=visible).count()
    state = learner_state(user=member, courses=[e.course for e in enrollments])
    rows = [
        CourseRow(
            enrollment=e,
            percent=100 if e.completed_at else state.progress[e.course_id].percent,
            overdue=bool(e.due_date and not e.completed_at and e.due_date < today),
        )
        for e in enrollments
    ]
    return Learning(courses=rows, hidden=hidden)


def member_certificates(*, member, viewer) -> tuple[list, int]:
    """``member``'s certificates (history included, newest first) of certifications ``viewer`` may see, and how
    many others there are (two queries)."""
    visible = Certification.objects.visible_to(viewer)
    shown = list(certificates_of(user=member).filter(certification__in=visible))
    hidden = certificates_of(user=member).exclude(certification__in=visible).count()
    return shown, hidden


def compliance_of(*, partner, viewer, now=None) -> list[dict]:
    """``certifications.selectors.partner_compliance`` as ``GET me/partner/compliance`` answers it: each tier with
    requirements, its own first, a certification the viewer may not see counted but not named (``title`` None)."""
    now = now or timezone.now()
    visible = visible_certification_ids(user=viewer)
    tiers = []
    for entry in partner_compliance(partner=partner, now=now):
        requirements = [
            {**status, "title": status["certification"].title if status["certification"].pk in visible else None}
            for status in entry["requirements"]
        ]
        tiers.append({**entry, "requirements": requirements, "is_my_tier": entry["tier"].pk == partner.tier_id})
    return sorted(tiers, key=lambda tier: not tier["is_my_tier"])
