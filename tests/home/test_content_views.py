"""Content views from the portal: an asset's, program's, bulletin's or course's page read by a partner user is one
``ContentView``; a page the user may not see (404), a locked item (403) and the lists record nothing."""

import pytest

from certifications.factories import CertificationFactory
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import ContentView
from courses.factories import course_with
from partners.factories import TierFactory
from tests.partners.qualification_matrix import requirement

pytestmark = pytest.mark.django_db

PAGES = {
    "asset": (AssetFactory, "/library/{}/"),
    "program": (ProgramFactory, "/programs/{}/"),
    "bulletin": (BulletinFactory, "/bulletins/{}/"),
    "course": (course_with, "/learning/{}/"),
}
LISTS = ["/library/", "/programs/", "/bulletins/", "/learning/"]


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_detail_page_records_one_view_with_the_item_and_the_users_partner(client, member, kind):
    factory, url = PAGES[kind]
    item = factory()
    for path in LISTS:
        assert client.get(path).status_code == 200
    assert not ContentView.objects.exists()  # lists are not views of their items
    assert client.get(url.format(item.pk)).status_code == 200
    view = ContentView.objects.get()
    assert (view.kind, view.item_id, view.user, view.partner) == (
        kind,
        item.pk,
        member,
        member.partner_membership.partner,
    )


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_page_outside_my_audience_or_locked_records_nothing(client, member, kind):
    factory, url = PAGES[kind]
    hidden = factory(min_tier=TierFactory(key="platinum", rank=40))
    locked = factory(**requirement(CertificationFactory().qualification))
    assert client.get(url.format(hidden.pk)).status_code == 404
    assert client.get(url.format(999_999)).status_code == 404
    assert client.get(url.format(locked.pk)).status_code == 403
    assert not ContentView.objects.exists()


def test_an_enrolled_learner_sent_on_to_where_they_left_off_is_a_view_of_the_course(client, member):
    """The course page of an enrolled learner answers 302 (to their next lesson): the course was opened all the
    same, as the API's course detail (200) counts for them."""
    course = course_with()
    assert client.post(f"/learning/{course.pk}/enrol/").status_code == 302
    assert client.get(f"/learning/{course.pk}/").status_code == 302
    view = ContentView.objects.get()
    assert (view.kind, view.item_id) == ("course", course.pk)
