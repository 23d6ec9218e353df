"""Courses assigned to a partner, a partner type or a tier: everyone in scope who may see the course is enrolled."""

from django.utils import timezone

from partners.audience import audience_allows, load_qualifications
from partners.models import PartnerMembership
from partners.selectors import viewers_of

from ..models import Course, CourseAssignment, Enrollment


def _viewers_in_scope(assignment) -> list:
    """The partner users an assignment targets, as ``Viewer``s."""
    memberships = PartnerMembership.objects.all()
    if assignment.partner_id:
        memberships = memberships.filter(partner_id=assignment.partner_id)
    elif assignment.partner_type_id:
        memberships = memberships.filter(partner__partner_type_id=assignment.partner_type_id)
    else:
        memberships = memberships.filter(partner__tier_id=assignment.tier_id)
    return viewers_of(memberships=memberships)


def course_assignment_saved(*, assignment, user) -> int:
    """An editor saved ``assignment`` in the admin: record them as its author the first time, then apply it."""
    if assignment.created_by_id is None:
        CourseAssignment.objects.filter(pk=assignment.pk).update(created_by=user)
        assignment.created_by = user
    return course_assignment_apply(assignment=assignment)


def course_assignment_apply(*, assignment, now=None) -> int:
    """Enrol every partner user the assignment targets who may see the course; answers how many were new.

    Users enrolled already keep their enrolment and progress; it gains the assignment
    and its due date. Users the course's audience leaves out are not enrolled (an
    assignment never widens who may see a course). Idempotent: run again nightly for
    users who joined since.
    """
    now = now or timezone.now()
    course = assignment.course
    audience = course.get_audience()
    viewers = _viewers_in_scope(assignment)
    if audience.qualification_id is not None:  # a course for certified partners: what each one holds, in bulk
        load_qualifications(viewers)
    user_ids = {viewer.user_id for viewer in viewers if audience_allows(audience, viewer)}
    # The current round gains it (a retake keeps its round's assignment, so an old one is never applied again).
    existing = Enrollment.objects.current().filter(course=course, user_id__in=user_ids)
    existing.filter(assignment__isnull=True).update(assignment=assignment, due_date=assignment.due_date)
    new = user_ids - set(existing.values_list("user_id", flat=True))
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user_id=user_id,
                course=course,
                source=Enrollment.Source.ASSIGNED,
                assignment=assignment,
                due_date=assignment.due_date,
                enrolled_at=now,
                last_activity_at=now,
            )
            for user_id in sorted(new)
        ],
        ignore_conflicts=True,  # enrolled by themselves a moment ago
    )
    return len(new)


def course_assignments_apply_all(*, now=None) -> int:
    """Apply every assignment of a live course again (users who joined a partner since): new enrolments."""
    live = Course.objects.live_for_partners()
    return sum(
        course_assignment_apply(assignment=assignment, now=now)
        for assignment in CourseAssignment.objects.filter(course__in=live).select_related("course")
    )
