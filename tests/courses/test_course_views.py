"""Content views of courses through the partner API: the course's detail read by a partner user is one
``ContentView`` (kind "course"); the catalogue, a course outside the audience (404) or locked (403) records none."""

import pytest

from certifications.factories import CertificationFactory
from cms.models import ContentView
from courses.factories import CourseFactory, course_with
from partners.factories import TierFactory
from tests.partners.qualification_matrix import requirement

pytestmark = pytest.mark.django_db


def test_a_course_detail_records_one_view_with_the_course_and_the_users_partner(client, gold_partner_user):
    course = course_with(title="SD-WAN for sales")
    assert client.get("/api/v1/courses", **gold_partner_user.headers).status_code == 200
    assert not ContentView.objects.exists()
    assert client.get(f"/api/v1/courses/{course.pk}", **gold_partner_user.headers).status_code == 200
    view = ContentView.objects.get()
    assert (view.kind, view.item_id, view.user, view.partner) == (
        "course",
        course.pk,
        gold_partner_user.user,
        gold_partner_user.user.partner_membership.partner,
    )


def test_a_course_i_may_not_see_or_that_is_locked_records_nothing(client, gold_partner_user):
    hidden = CourseFactory(min_tier=TierFactory(key="platinum", rank=40))
    locked = CourseFactory(**requirement(CertificationFactory().qualification))
    assert client.get(f"/api/v1/courses/{hidden.pk}", **gold_partner_user.headers).status_code == 404
    assert client.get("/api/v1/courses/999999", **gold_partner_user.headers).status_code == 404
    assert client.get(f"/api/v1/courses/{locked.pk}", **gold_partner_user.headers).status_code == 403
    assert not ContentView.objects.exists()
