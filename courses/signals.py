"""Signals of courses: what learners achieve (for certifications), and receivers following the library."""

from django.dispatch import Signal

from wagtail.signals import published

#: Sent with ``sender=Course``, ``user``, ``course`` and ``at`` (the moment) when a learner completes a course.
course_completed = Signal()
#: Sent with ``sender=Quiz``, ``user``, ``quiz`` and ``attempt`` when a learner passes a quiz
#: (``attempt.submitted_at`` is when).
quiz_passed = Signal()


def flag_courses_on_asset_event(sender, event, pks, **kwargs):
    from .library import REASONS, courses_flag_library_change

    if event in REASONS:
        courses_flag_library_change(asset_ids=pks, event=event)


def clear_flag_on_course_publish(sender, instance, **kwargs):
    from .library import course_clear_library_flag

    course_clear_library_flag(course=instance)


def connect():
    from cms.models import Asset
    from cms.signals import content_event

    from .models import Course

    content_event.connect(flag_courses_on_asset_event, sender=Asset, dispatch_uid="courses-flag-on-asset-event")
    published.connect(clear_flag_on_course_publish, sender=Course, dispatch_uid="courses-clear-library-flag")
