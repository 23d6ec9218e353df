"""A member's page in My team (/team/<id>/): their learning and certifications, through the admin's audience."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory
from courses.factories import course_with, lesson_done
from courses.models import Enrollment, Lesson
from tests.home.test_team import team  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def enrol(user, course, **fields):
    return Enrollment.objects.create(user=user, course=course, **fields)


@pytest.fixture
def ann_learns(team):  # noqa: F811
    """Ann: halfway through an overdue course, one completed, one the admin may not see; two certificates."""
    ann = team["colleague"].user
    today = timezone.localdate()
    overdue = course_with(lessons_per_module=(2,), title="SD-WAN basics")
    enrol(ann, overdue, due_date=today - timedelta(days=3))
    lesson_done(ann, Lesson.objects.filter(module__course=overdue).first())
    done = course_with(lessons_per_module=(1,), title="Selling security")
    enrol(ann, done, completed_at=timezone.now() - timedelta(days=2), due_date=today + timedelta(days=30))
    secret = course_with(title="Engineers only", roles=[team["technical"]])
    enrol(ann, secret)
    CertificateFactory(
        user=ann, certification=CertificationFactory(title="Certified seller"), expires_in=timedelta(days=300)
    )
    CertificateFactory(user=ann, certification=CertificationFactory(title="Engineer cert", roles=[team["technical"]]))
    return ann


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_the_member_page_shows_their_learning_and_certificates(client, team, ann_learns):  # noqa: F811
    response = client.get(f"/team/{ann_learns.pk}/")
    assert response.status_code == 200
    page = main(response)
    assert "<h1>Ann Andersen" in page and "ann@acme.test" in page and "Sales" in page
    basics = page[page.index("SD-WAN basics") :]
    assert 'value="50"' in basics[:400] and "Overdue" in basics[:900]
    selling = page[page.index("Selling security") :]
    assert 'value="100"' in selling[:400] and "Completed" in selling[:900]
    seller = page[page.index("Certified seller") :]
    expires = (timezone.now() + timedelta(days=300)).strftime("%-d %b %Y")
    assert "Active" in seller[:300] and expires in seller[:600]
    # What the admin may not see is counted, never named.
    assert "Engineers only" not in page and "Engineer cert" not in page
    assert "And 1 course outside what you may see." in page
    assert "And 1 certificate of a certification outside what you may see." in page


def test_a_deactivated_members_learning_is_still_shown(client, team, ann_learns):  # noqa: F811
    ann_learns.is_active = False
    ann_learns.save()
    page = main(client.get(f"/team/{ann_learns.pk}/"))
    assert "Deactivated" in page and "SD-WAN basics" in page and "Certified seller" in page
    assert f'href="/team/{ann_learns.pk}/reactivate/"' in page


def test_the_member_page_costs_the_same_queries_whatever_their_learning(
    client,
    team,  # noqa: F811
    django_assert_max_num_queries,
):
    ann = team["colleague"].user
    enrol(ann, course_with(lessons_per_module=(1,)))
    CertificateFactory(user=ann)
    client.get(f"/team/{ann.pk}/")
    with django_assert_max_num_queries(40) as few:
        assert client.get(f"/team/{ann.pk}/").status_code == 200
    for _ in range(6):
        course = course_with(lessons_per_module=(2, 1))
        enrol(ann, course, due_date=timezone.localdate())
        lesson_done(ann, Lesson.objects.filter(module__course=course).first())
        CertificateFactory(user=ann)
    few_count = len(few)  # before the next request: each request empties the query log
    client.get(f"/team/{ann.pk}/")  # what they added moved the identity generation: facts read anew once
    with django_assert_max_num_queries(few_count):
        assert client.get(f"/team/{ann.pk}/").status_code == 200
