"""Headless preview of a course and a certification: their own payload, as the editor has them, nobody's progress."""

import pytest

from certifications.factories import CertificationFactory
from cms.gating.preview import preview_snapshot_create, preview_token_for
from courses.factories import QuizFactory, course_with

pytestmark = pytest.mark.django_db


def previewed(client, item) -> dict:
    response = client.get("/api/v1/preview", {"token": preview_token_for(snapshot=preview_snapshot_create(item=item))})
    assert response.status_code == 200
    return response.json()


def test_a_course_preview_shows_its_modules_lessons_and_quizzes(client):
    course = course_with(lessons_per_module=(2, 1), module_quizzes=(QuizFactory(title="Check"),), live=False)

    body = previewed(client, course)

    assert body["kind"] == "course"
    item = body["item"]
    assert [m["title"] for m in item["modules"]] == ["Module 1", "Module 2"]
    assert [lesson["title"] for lesson in item["modules"][0]["lessons"]] == ["Lesson 1.1", "Lesson 1.2"]
    assert item["modules"][0]["quiz"]["title"] == "Check"
    assert item["progress"] == {
        "percent": 0,
        "lessons_done": 0,
        "lessons_total": 3,
        "quizzes_passed": 0,
        "quizzes_total": 1,
    }
    assert item["enrollment"] is None


def test_a_certification_preview_shows_its_requirements(client):
    course = course_with(title="Routing basics")
    certification = CertificationFactory(live=False, title="Certified router", required_courses=[course])

    item = previewed(client, certification)["item"]

    assert item["title"] == "Certified router"
    assert item["requirements"] == [{"kind": "course", "id": course.pk, "title": "Routing basics", "done": False}]
    assert (item["my_status"], item["progress_percent"]) == (None, 0)
