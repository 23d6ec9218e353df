"""The feed section of courses: "My courses due" (registered in ``CoursesConfig.ready()``, see ``core.feed``)."""

from django.utils import timezone

from .models import Course, Enrollment


def feed_courses_due(*, user, since, now, limit: int) -> list[dict]:
    """``user``'s courses with a due date (assigned, or set on the enrolment) not completed yet, soonest first.

    Overdue ones stay (flagged ``overdue``) until completed. Only courses ``user`` may
    still see; one query.
    """
    today = timezone.localdate(now)
    enrollments = (
        Enrollment.objects.current()
        .filter(
            user=user,
            completed_at__isnull=True,
            due_date__isnull=False,
            course__in=Course.objects.visible_to(user),
        )
        .select_related("course")
        .order_by("due_date", "course__title", "pk")[:limit]
    )
    return [
        {
            "kind": "course",
            "id": enrollment.course.pk,
            "title": enrollment.course.title,
            "summary": enrollment.course.summary,
            "due_date": enrollment.due_date,
            "overdue": enrollment.due_date < today,
        }
        for enrollment in enrollments
    ]
