"""The migration to rounds: existing enrolments become round 1, and their lessons done belong to them."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("courses", "0006_quiz_attempt_without_course")]
AFTER = [("courses", "0008_enrollment_rounds_constraints")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_enrolments_become_round_one_with_their_lessons_done():
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        Course, Module = apps.get_model("courses", "Course"), apps.get_model("courses", "CourseModule")
        Lesson, Enrollment = apps.get_model("courses", "Lesson"), apps.get_model("courses", "Enrollment")
        LessonCompletion = apps.get_model("courses", "LessonCompletion")
        ann = User.objects.create(username="ann")
        course = Course.objects.create(title="Selling SD-WAN", key="sdwan")
        other = Course.objects.create(title="Never enrolled", key="other")
        lesson = Lesson.objects.create(module=Module.objects.create(course=course, title="M"), title="L", body="[]")
        stray = Lesson.objects.create(module=Module.objects.create(course=other, title="M"), title="L", body="[]")
        enrollment = Enrollment.objects.create(user=ann, course=course)
        LessonCompletion.objects.create(user=ann, lesson=lesson)
        LessonCompletion.objects.create(user=ann, lesson=stray)  # counted nowhere: no enrolment

        apps = migrate(AFTER)

        Enrollment = apps.get_model("courses", "Enrollment")
        LessonCompletion = apps.get_model("courses", "LessonCompletion")
        assert list(Enrollment.objects.values_list("pk", "round", "is_current")) == [(enrollment.pk, 1, True)]
        assert list(LessonCompletion.objects.values_list("lesson_id", "enrollment_id")) == [(lesson.pk, enrollment.pk)]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
