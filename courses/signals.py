"""Signal receivers of courses: following the asset library that lessons use, and the learning packages
lessons are made of (``package_attempt_updated``: results of a package launched by a course).

What learners achieve is told with ``core.signals.course_completed`` and ``quiz_passed``
(sent by ``courses.services``, heard by certifications).
"""

from wagtail.signals import published

from cms.models import Asset
from core.signals import content_event, package_attempt_updated

from .library import REASONS, course_clear_library_flag, courses_flag_library_change
from .models import Course
from .services.packages import package_attempt_heard


def flag_courses_on_asset_event(sender, event, pks, **kwargs):
    if event in REASONS:
        courses_flag_library_change(asset_ids=pks, event=event)


def clear_flag_on_course_publish(sender, instance, **kwargs):
    course_clear_library_flag(course=instance)


def follow_package_attempt(sender, attempt, user, context, completed, passed, score, **kwargs):
    package_attempt_heard(attempt=attempt, user=user, context=context, completed=completed, passed=passed, score=score)


def connect():
    content_event.connect(flag_courses_on_asset_event, sender=Asset, dispatch_uid="courses-flag-on-asset-event")
    published.connect(clear_flag_on_course_publish, sender=Course, dispatch_uid="courses-clear-library-flag")
    # SCORM and cmi5 launchers send it alike (any sender); only contexts a course gave count.
    package_attempt_updated.connect(follow_package_attempt, dispatch_uid="courses-follow-package-attempt")
