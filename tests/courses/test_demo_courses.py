"""``load_demo``'s courses: eight live courses with quizzes, made by the importer, and learners' progress."""

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

import pytest

from cms.models import Asset
from courses.models import Course, Enrollment, LessonCompletion, QuestionBank, Quiz, QuizAttempt
from courses.selectors import answer_policy_conflicts, course_progress
from partners.demo import DEMO_PARTNER_USER

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> tuple:
    return (
        QuestionBank.objects.count(),
        Quiz.objects.count(),
        Course.objects.count(),
        Enrollment.objects.count(),
        LessonCompletion.objects.count(),
        QuizAttempt.objects.count(),
        sorted(Course.objects.values_list("key", "updated_at")),
    )


@override_settings(DEBUG=True)
@pytest.mark.usefixtures("midday")
@pytest.mark.timeout(900)  # builds the whole demo; on a loaded 2-core machine that passed 300 s once
def test_load_demo_makes_eight_live_courses_with_quizzes_and_learners_progress(client):
    out = load_demo()
    assert "question_banks: 8 created" in out and "courses: 8 created" in out

    courses = list(Course.objects.filter(key__startswith="demo-course-").order_by("key"))
    assert len(courses) == 8
    assert all(course.is_live_for_partners() for course in courses)
    assert len({(c.min_tier_id, c.audience_roles_key, c.audience_partner_types_key) for c in courses}) >= 5

    blocks = Counter()
    for course in courses:
        modules = list(course.modules.all())
        assert 2 <= len(modules) <= 4, course.key
        assert all(2 <= module.lessons.count() <= 4 for module in modules), course.key
        assert any(module.quiz_id for module in modules) or course.final_quiz_id, course.key
        for module in modules:
            for lesson in module.lessons.all():
                for block in lesson.body:
                    blocks[block.block_type] += 1
                    if block.block_type == "asset":
                        asset = block.value["asset"]
                        assert asset.key.startswith("demo-asset-") and asset.is_live_for_partners()
    assert blocks["text"] >= 40 and blocks["callout"] >= 20 and blocks["asset"] >= 10
    assert sum(1 for course in courses if course.final_quiz_id) >= 3
    quizzes = {module.quiz_id for c in courses for module in c.modules.all() if module.quiz_id}
    assert len(quizzes) >= 8

    for bank in QuestionBank.objects.filter(key__startswith="demo-bank-"):
        kinds = [question.kind for question in bank.questions.all()]
        assert 6 <= len(kinds) <= 10 and set(kinds) == {"single", "multiple", "true_false"}, bank.key

    # No demo bank feeds both a quiz that never shows answers and one that does.
    for quiz in Quiz.objects.select_related("bank"):
        assert not answer_policy_conflicts(bank=quiz.bank, reveals=quiz.reveals_answers, exclude_pk=quiz.pk), quiz
    assert Quiz.objects.filter(answers_shown="never").exists()

    by_key = {course.key.removeprefix("demo-course-"): course for course in courses}
    assert list(by_key["objection-handling"].prerequisites.all()) == [by_key["sdwan-selling"]]
    assert list(by_key["sdwan-selling"].prerequisites.all()) == [by_key["product-fundamentals"]]
    assert list(by_key["renewals"].prerequisites.all()) == [by_key["deal-registration"]]

    # Progress, made through the services: consistent with the course structure and the rules.
    enrollments = Enrollment.objects.select_related("user", "course")
    assert enrollments.count() >= 20
    completed = [e for e in enrollments if e.completed_at]
    assert len(completed) >= 3
    for enrollment in completed:
        assert course_progress(user=enrollment.user, course=enrollment.course).complete
    for enrollment in enrollments:
        assert enrollment.course in Course.objects.visible_to(enrollment.user)
        for prerequisite in enrollment.course.prerequisites.all():
            assert Enrollment.objects.get(user=enrollment.user, course=prerequisite).completed_at
    assert LessonCompletion.objects.count() >= 50
    assert QuizAttempt.objects.filter(passed=True).exists() and QuizAttempt.objects.filter(passed=False).exists()
    for attempt in QuizAttempt.objects.filter(course__isnull=False):  # not a certification's exam taken on its own
        assert Enrollment.objects.filter(user=attempt.user, course=attempt.course).exists()
        assert attempt.status == "graded" and attempt.score is not None

    # The demo user has courses in progress and done, and sees them through the API.
    token = next(line.strip() for line in out.splitlines() if line.strip().startswith("wagtail_"))
    mine = client.get("/api/v1/enrollments", HTTP_AUTHORIZATION=f"Bearer {token}").json()["results"]
    assert len(mine) >= 3
    assert any(row["enrollment"]["completed_at"] for row in mine)
    assert any(0 < row["progress"]["percent"] < 100 for row in mine)
    assert Enrollment.objects.filter(user__username=DEMO_PARTNER_USER).count() == len(mine)
    assert Asset.objects.exists()

    # Re-running changes nothing: the content is unchanged and no progress is added twice.
    before = counts()
    again = load_demo()
    assert counts() == before
    for section, total in (("question_banks", 8), ("quizzes", Quiz.objects.count()), ("courses", 8)):
        assert f"{section}: 0 created, 0 updated, {total} unchanged" in again, section
    assert "course progress: 0 enrolments, 0 lesson completions, 0 quiz attempts added" in again
