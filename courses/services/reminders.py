"""E-mails to learners before an assigned course is due, once per lead time."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.preferences import COURSE_REMINDERS, wants_email
from cms.selectors import reminder_lead_time
from core.outbox.services import outbox_mail_now
from partners.models import past_last_day

from ..models import Course, Enrollment
from ..selectors import course_progress


def due_reminders_send(*, now=None) -> int:
    """E-mail learners whose assigned course is due soon and not completed, once per lead time.

    Lead times come from ``COURSE_DUE_REMINDER_DAYS`` (e.g. 7 and 1 days before); a
    learner who was reminded 7 days before is reminded again at 1 day, never twice
    for the same one. Only courses they may still see, to active learners with an e-mail, not past their last day,
    who did not turn these reminders off (Profile).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    lead_times = settings.COURSE_DUE_REMINDER_DAYS
    if not lead_times:
        return 0
    horizon = today + timedelta(days=max(lead_times))
    due = (
        Enrollment.objects.current()
        .filter(
            wants_email(COURSE_REMINDERS, user_path="user__"),
            completed_at__isnull=True,
            due_date__isnull=False,
            due_date__gte=today,
            due_date__lte=horizon,
            user__is_active=True,
            course__in=Course.objects.live_for_partners(now=now),
        )
        .exclude(user__email="")
        .exclude(past_last_day(today, prefix="user__partner_membership__"))
        .select_related("user", "course")
    )
    sent = 0
    for enrollment in due:
        lead = reminder_lead_time((enrollment.due_date - today).days, lead_times)
        if lead is None or (enrollment.reminded_days is not None and enrollment.reminded_days <= lead):
            continue
        progress = course_progress(user=enrollment.user, course=enrollment.course, enrollment=enrollment)
        outbox_mail_now(  # the e-mail and its mark commit together; sent once (core.outbox)
            dedupe_key=f"course-due:{enrollment.pk}:{enrollment.due_date:%Y-%m-%d}:{lead}",
            subject=f"“{enrollment.course.title}” is due on {enrollment.due_date:%B %-d}",
            message=(
                f"Hello {enrollment.user.get_full_name() or enrollment.user.get_username()},\n\n"
                f"Your course “{enrollment.course.title}” is due on {enrollment.due_date:%A %B %-d, %Y}. "
                f"You are {progress.percent}% through it "
                f"({progress.lessons_done} of {progress.lessons_total} lessons, "
                f"{progress.quizzes_passed} of {progress.quizzes_total} quizzes passed).\n"
            ),
            recipient_list=[enrollment.user.email],
            decided=lambda pk=enrollment.pk, lead=lead: Enrollment.objects.filter(pk=pk).update(reminded_days=lead),
        )
        sent += 1
    return sent
