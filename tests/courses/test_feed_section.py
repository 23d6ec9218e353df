"""The feed section "My courses due": my unfinished courses with a due date, soonest first, only those I may see."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses.factories import CourseFactory
from courses.models import Enrollment
from partners.factories import TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


def courses_due(client, user) -> list[dict]:
    response = client.get("/api/v1/feed", **user.headers)
    assert response.status_code == 200, response.content
    (section,) = [s for s in response.json()["sections"] if s["name"] == "courses_due"]
    assert section["title"] == "My courses due"
    return section["items"]


def test_my_unfinished_courses_with_a_due_date_soonest_first_overdue_included(client, gold_partner_user):
    user = gold_partner_user.user
    today = timezone.localdate()

    def enrol(title, **fields):
        course = CourseFactory(title=title, summary=f"About {title}")
        Enrollment.objects.create(user=user, course=course, **fields)
        return course

    later = enrol("Later", due_date=today + timedelta(days=20))
    overdue = enrol("Overdue", due_date=today - timedelta(days=2))
    enrol("Done", due_date=today + timedelta(days=1), completed_at=timezone.now())
    enrol("No date")
    someone_else = make_token_user(partner=user.partner_membership.partner)
    Enrollment.objects.create(user=someone_else.user, course=CourseFactory(title="Theirs"), due_date=today)

    items = courses_due(client, gold_partner_user)
    assert [(i["kind"], i["id"], i["title"], i["due_date"], i["overdue"]) for i in items] == [
        ("course", overdue.pk, "Overdue", (today - timedelta(days=2)).isoformat(), True),
        ("course", later.pk, "Later", (today + timedelta(days=20)).isoformat(), False),
    ]
    assert items[0]["summary"] == "About Overdue"


def test_courses_i_may_not_see_are_left_out(client, gold_partner_user):
    user = gold_partner_user.user
    due = timezone.localdate() + timedelta(days=3)
    for course in (
        CourseFactory(title="Platinum only", min_tier=TierFactory(key="platinum", rank=40)),
        CourseFactory(title="Unpublished", live=False),
        CourseFactory(title="Expired", expire_at=timezone.now() - timedelta(hours=1)),
    ):
        Enrollment.objects.create(user=user, course=course, due_date=due)
    visible = CourseFactory(title="Mine")
    Enrollment.objects.create(user=user, course=visible, due_date=due)
    assert [item["title"] for item in courses_due(client, gold_partner_user)] == ["Mine"]
