"""Courses and the asset library in step: lessons show an asset's current live version (``courses.api``),
and when an asset a lesson uses expires, is archived or unpublished, or gets a new version, each course
using it is flagged in the admin (``library_changed_at`` / ``library_change_note``, cleared when the
course is published again) and its owner is e-mailed once per change.

Which courses use which assets comes from Wagtail's reference index, which follows a course's
modules and lessons down to the asset chooser blocks of lesson bodies.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from wagtail.models import ReferenceIndex

from cms.models import Asset

from .models import Course

logger = logging.getLogger("partnerhub.courses")

REASONS = {
    "expired": "expired",
    "archived": "was archived",
    "unpublished": "was unpublished",
    "new_version": "has a new version",
}


def courses_using_assets(*, asset_ids) -> dict[int, set[int]]:
    """``{course id: {asset ids}}`` of the courses whose lessons use any of ``asset_ids``."""
    rows = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Course),
        to_content_type=ContentType.objects.get_for_model(Asset),
        to_object_id__in=[str(pk) for pk in asset_ids],
    ).values_list("object_id", "to_object_id")
    found: dict[int, set[int]] = {}
    for course_id, asset_id in rows:
        found.setdefault(int(course_id), set()).add(int(asset_id))
    return found


def courses_flag_library_change(*, asset_ids, event: str, now=None) -> list[Course]:
    """Flag the courses using these assets and tell their owners (after commit). Answers the courses flagged."""
    reason = REASONS[event]
    using = courses_using_assets(asset_ids=asset_ids)
    if not using:
        return []
    now = now or timezone.now()
    titles = dict(Asset.objects.filter(pk__in={pk for pks in using.values() for pk in pks}).values_list("pk", "title"))
    courses = list(Course.objects.filter(pk__in=using, archived_at__isnull=True).select_related("owner"))
    for course in courses:
        names = ", ".join(f"“{titles.get(pk, pk)}”" for pk in sorted(using[course.pk]))
        course.library_changed_at = now
        course.library_change_note = f"{names} {reason} ({now:%Y-%m-%d})."[:500]
    Course.objects.bulk_update(courses, ["library_changed_at", "library_change_note"])
    transaction.on_commit(lambda: _tell_owners(courses), robust=True)
    return courses


def _tell_owners(courses) -> None:
    for course in courses:
        owner = course.owner
        if not owner or not owner.is_active or not owner.email:
            continue
        send_mail(
            subject=f"Course “{course.title}”: a library asset it uses changed",
            message=(
                f"Hello {owner.get_full_name() or owner.get_username()},\n\n"
                f"{course.library_change_note}\n\n"
                "Partners taking the course now see the current live version of each asset, or a note that it "
                "is no longer available. Please check the lessons that use it, and publish the course again "
                "when it is right: that clears the flag in the admin.\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[owner.email],
            fail_silently=False,
        )


def course_clear_library_flag(*, course: Course) -> None:
    if course.library_changed_at is None:
        return
    Course.objects.filter(pk=course.pk).update(library_changed_at=None, library_change_note="")
    course.library_changed_at, course.library_change_note = None, ""
