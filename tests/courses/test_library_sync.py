"""Courses and the asset library in step: flags, owner e-mails and the live version in lessons."""

from datetime import timedelta

from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest
import time_machine

from cms.factories import AssetFactory
from cms.gating.lifecycle import content_archive, lifecycle_sweep
from courses.factories import CourseFactory, CourseModuleFactory, LessonFactory
from courses.models import Course
from partners.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def course_using(asset, **fields):
    course = CourseFactory(owner=StaffUserFactory(email="owner@example.com"), **fields)
    module = CourseModuleFactory(course=course)
    LessonFactory(module=module, body=[("asset", {"asset": asset, "note": ""})])
    course.save_revision().publish()  # as an editor would: the reference index follows the lessons
    return Course.objects.get(pk=course.pk)


def test_archiving_an_asset_flags_the_courses_using_it_and_tells_their_owners(django_capture_on_commit_callbacks):
    asset = AssetFactory(title="SD-WAN battlecard")
    course = course_using(asset, title="Selling SD-WAN")
    unrelated = course_using(AssetFactory(title="Other"))
    with django_capture_on_commit_callbacks(execute=True):
        content_archive(item=asset)
    course.refresh_from_db()
    unrelated.refresh_from_db()
    assert course.library_changed_at is not None
    assert course.library_change_note.startswith("“SD-WAN battlecard” was archived")
    assert unrelated.library_changed_at is None
    (message,) = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "Course “Selling SD-WAN”: a library asset it uses changed"


def test_expiry_by_the_sweep_flags_the_course(django_capture_on_commit_callbacks):
    asset = AssetFactory(title="Price list", expire_at=timezone.now() + timedelta(days=1))
    course = course_using(asset)
    later = timezone.now() + timedelta(days=2)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert lifecycle_sweep().expired == 1
    course.refresh_from_db()
    assert "“Price list” expired" in course.library_change_note
    assert len(mail.outbox) == 1


def test_a_new_version_flags_the_course_and_the_lesson_shows_it(client, gold_partner_user):
    asset = AssetFactory(title="Deck", live=False)
    asset.save_revision().publish()
    course = course_using(asset)
    lesson = course.modules.get().lessons.get()
    client.post(f"/api/v1/courses/{course.pk}/enroll", **gold_partner_user.headers)
    before = client.get(f"/api/v1/lessons/{lesson.pk}", **gold_partner_user.headers).json()
    assert before["blocks"][0]["asset"]["version"]["number"] == 1

    asset.file = ContentFile(b"%PDF-1.4 v2", name="deck-v2.pdf")
    asset.version_note = "New pricing slide"
    asset.save_revision().publish()
    course.refresh_from_db()
    assert "“Deck” has a new version" in course.library_change_note
    after = client.get(f"/api/v1/lessons/{lesson.pk}", **gold_partner_user.headers).json()
    assert after["blocks"][0]["asset"]["version"] == {
        "number": 2,
        "note": "New pricing slide",
        "created_at": after["blocks"][0]["asset"]["version"]["created_at"],
    }


def test_publishing_the_course_again_clears_the_flag():
    asset = AssetFactory()
    course = course_using(asset)
    content_archive(item=asset)
    course.refresh_from_db()
    assert course.library_changed_at is not None
    course.save_revision().publish()
    course.refresh_from_db()
    assert (course.library_changed_at, course.library_change_note) == (None, "")


def test_editing_an_asset_without_a_new_file_flags_nothing():
    asset = AssetFactory(live=False)
    asset.save_revision().publish()
    course = course_using(asset)
    asset.summary = "Better words"
    asset.save_revision().publish()
    course.refresh_from_db()
    assert course.library_changed_at is None
