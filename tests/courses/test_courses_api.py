"""Courses through the partner API: structure, enrolment, prerequisites, lessons, progress and completion."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.factories import AssetFactory
from courses.factories import (
    CourseFactory,
    CourseModuleFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    course_with,
)
from courses.models import Enrollment, LessonCompletion
from partners.factories import TierFactory
from partners.services import api_token_issue
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def enroll(client, headers, course):
    return client.post(f"/api/v1/courses/{course.pk}/enroll", **headers)


def test_structure_comes_in_the_editors_order(client, gold_partner_user):
    course = CourseFactory(title="SD-WAN for sales")
    second = CourseModuleFactory(course=course, title="Selling it", sort_order=2)
    first = CourseModuleFactory(course=course, title="What it is", sort_order=1)
    LessonFactory(module=first, title="Branches", sort_order=2)
    LessonFactory(module=first, title="Basics", sort_order=1)
    LessonFactory(module=second, title="Objections", sort_order=1)
    body = client.get(f"/api/v1/courses/{course.pk}", **gold_partner_user.headers).json()
    assert [m["title"] for m in body["modules"]] == ["What it is", "Selling it"]
    assert [lesson["title"] for lesson in body["modules"][0]["lessons"]] == ["Basics", "Branches"]
    assert body["progress"] == {
        "percent": 0,
        "lessons_done": 0,
        "lessons_total": 3,
        "quizzes_passed": 0,
        "quizzes_total": 0,
    }
    assert body["enrollment"] is None


def test_structure_query_count_does_not_grow_with_lessons(client, gold_partner_user, django_assert_num_queries):
    small = course_with(lessons_per_module=(1,), module_quizzes=(QuizFactory(),))
    big = course_with(
        lessons_per_module=(8, 8, 8, 8), module_quizzes=(QuizFactory(), QuizFactory()), final_quiz=QuizFactory()
    )
    headers = gold_partner_user.headers
    client.get(f"/api/v1/courses/{small.pk}", **headers)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/v1/courses/{small.pk}", **headers).status_code == 200
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(f"/api/v1/courses/{big.pk}", **headers).json()["progress"]["lessons_total"] == 32
    with CaptureQueriesContext(connection) as one_page:
        client.get("/api/v1/courses?page_size=1", **headers)
    with django_assert_num_queries(len(one_page.captured_queries)):
        client.get("/api/v1/courses?page_size=50", **headers)


def test_enrol_is_idempotent_and_waits_for_prerequisites(client, gold_partner_user):
    basics = course_with(lessons_per_module=(1,), title="Basics")
    advanced = course_with(lessons_per_module=(1,), title="Advanced")
    advanced.prerequisites.set([basics])
    advanced.save()
    headers = gold_partner_user.headers
    refused = enroll(client, headers, advanced)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Complete these courses first: “Basics”."}
    assert not Enrollment.objects.filter(course=advanced).exists()

    assert enroll(client, headers, basics).status_code == 201
    assert enroll(client, headers, basics).status_code == 200
    lesson = basics.modules.get().lessons.get()
    assert client.post(f"/api/v1/lessons/{lesson.pk}/complete", **headers).status_code == 200
    body = enroll(client, headers, advanced)
    assert body.status_code == 201
    assert body.json()["prerequisites"] == [{"id": basics.pk, "title": "Basics", "completed": True}]


def test_completion_needs_every_lesson_and_every_required_quiz(client, gold_partner_user):
    quiz = QuizFactory(title="Module check", pass_mark=100)
    question = QuestionFactory(bank=quiz.bank)
    course = course_with(lessons_per_module=(2,), module_quizzes=(quiz,))
    headers = gold_partner_user.headers
    lessons = list(course.modules.get().lessons.order_by("sort_order"))
    assert client.post(f"/api/v1/lessons/{lessons[0].pk}/complete", **headers).status_code == 409  # not enrolled
    enroll(client, headers, course)
    for lesson in lessons:
        assert client.post(f"/api/v1/lessons/{lesson.pk}/complete", **headers).json()["completed"] is True
    body = client.get(f"/api/v1/courses/{course.pk}", **headers).json()
    assert body["progress"]["percent"] == 67 and body["enrollment"]["completed_at"] is None

    attempt = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", **headers).json()
    right = next(c["id"] for c in attempt["questions"][0]["choices"] if c["text"] == "Right")
    graded = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        {"answers": {str(question.pk): [right]}},
        content_type="application/json",
        **headers,
    ).json()
    assert graded["passed"] is True
    body = client.get(f"/api/v1/courses/{course.pk}", **headers).json()
    assert body["progress"]["percent"] == 100 and body["enrollment"]["completed_at"] is not None
    assert body["modules"][0]["quiz"]["passed"] is True
    assert client.get("/api/v1/enrollments", **headers).json()["results"][0]["id"] == course.pk


def test_lessons_resume_point_neighbours_and_blocks(client, gold_partner_user):
    visible = AssetFactory(title="Battlecard")
    hidden = AssetFactory(title="Platinum price list", min_tier=TierFactory(key="platinum", rank=40))
    course = CourseFactory()
    module = CourseModuleFactory(course=course)
    first = LessonFactory(module=module, sort_order=1)
    second = LessonFactory(
        module=module,
        sort_order=2,
        body=[
            ("text", "<p>Hello <b>partners</b></p>"),
            ("callout", {"kind": "tip", "text": "<p>Ask about branches.</p>"}),
            ("asset", {"asset": visible, "note": "Use it"}),
            ("asset", {"asset": hidden, "note": ""}),
        ],
    )
    headers = gold_partner_user.headers
    assert client.get(f"/api/v1/lessons/{second.pk}", **headers).status_code == 409
    enroll(client, headers, course)
    body = client.get(f"/api/v1/lessons/{second.pk}", **headers).json()
    assert (body["previous_lesson_id"], body["next_lesson_id"]) == (first.pk, None)
    text, callout, shown, unavailable = body["blocks"]
    assert text == {"type": "text", "html": "<p>Hello <b>partners</b></p>"}
    assert callout == {"type": "callout", "kind": "tip", "html": "<p>Ask about branches.</p>"}
    assert shown["available"] and shown["asset"]["id"] == visible.pk and shown["note"] == "Use it"
    assert unavailable == {"type": "asset", "available": False}  # not even its title
    assert "Platinum" not in str(body)
    course_body = client.get(f"/api/v1/courses/{course.pk}", **headers).json()
    assert course_body["enrollment"]["resume_lesson_id"] == second.pk


def test_completing_a_lesson_twice_counts_once(client, gold_partner_user):
    course = course_with(lessons_per_module=(1,))
    lesson = course.modules.get().lessons.get()
    enroll(client, gold_partner_user.headers, course)
    for _ in range(2):
        client.post(f"/api/v1/lessons/{lesson.pk}/complete", **gold_partner_user.headers)
    assert LessonCompletion.objects.count() == 1


@pytest.mark.parametrize("path", ["courses/{id}", "lessons/{id}", "quizzes/{id}/attempts", "courses/{id}/enroll"])
def test_unknown_or_malformed_ids_are_404(client, gold_partner_user, path):
    for bad in ("999999", "abc", "-1"):
        method = client.post if path.endswith(("attempts", "enroll")) else client.get
        assert method(f"/api/v1/{path.format(id=bad)}", **gold_partner_user.headers).status_code == 404


def test_leak_matrix_courses_lessons_and_quizzes(client):
    matrix = build_matrix(CourseFactory)
    headers = auth(matrix.viewer_user)
    listed = {row["id"] for row in client.get("/api/v1/courses?page_size=100", **headers).json()["results"]}
    assert listed == matrix.expected_visible
    for course in [*matrix.items.values()]:
        quiz = QuizFactory()
        QuestionFactory(bank=quiz.bank)
        module = CourseModuleFactory(course=course, quiz=quiz)
        lesson = LessonFactory(module=module)
        expected = 200 if course.pk in matrix.expected_visible else 404
        assert client.get(f"/api/v1/courses/{course.pk}", **headers).status_code == expected, course.title
        assert enroll(client, headers, course).status_code == (201 if expected == 200 else 404), course.title
        assert client.get(f"/api/v1/lessons/{lesson.pk}", **headers).status_code == expected, course.title
        started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", **headers)
        assert started.status_code == (201 if expected == 200 else 404), course.title
    assert Enrollment.objects.count() == len(matrix.expected_visible)


def test_anonymous_gets_401_everywhere(client):
    for method, path in [
        ("get", "/api/v1/courses"),
        ("get", "/api/v1/courses/1"),
        ("post", "/api/v1/courses/1/enroll"),
        ("get", "/api/v1/enrollments"),
        ("get", "/api/v1/lessons/1"),
        ("post", "/api/v1/lessons/1/complete"),
        ("post", "/api/v1/quizzes/1/attempts"),
        ("get", "/api/v1/attempts/1"),
        ("post", "/api/v1/attempts/1/submit"),
    ]:
        assert getattr(client, method)(path).status_code == 401, path


def test_a_prerequisite_i_may_not_see_is_counted_never_named(client, gold_partner_user):
    secret = course_with(
        lessons_per_module=(1,), title="Platinum secrets", min_tier=TierFactory(key="platinum", rank=40)
    )
    course = course_with(lessons_per_module=(1,), title="Open course")
    course.prerequisites.set([secret])
    course.save()
    refused = enroll(client, gold_partner_user.headers, course)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Complete these courses first: 1 course(s) not open to you."}
    body = client.get(f"/api/v1/courses/{course.pk}", **gold_partner_user.headers).json()
    assert body["prerequisites"] == [] and body["unavailable_prerequisites"] == 1
    assert "Platinum" not in json.dumps(body)
