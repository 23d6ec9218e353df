"""Qualification gating in the portal: a locked page says what unlocks it, the learning page lists locked courses."""

import pytest

from accounts.preferences import preferences_update
from certifications.factories import CertificateFactory, CertificationFactory
from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from courses.factories import CourseFactory
from partners.factories import PartnerFactory, RoleFactory, partner_user
from partners.qualifications import HeldBy
from tests.partners.qualification_matrix import requirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    course = CourseFactory(title="SD-WAN Pro course")
    certification = CertificationFactory(title="SD-WAN Pro", required_courses=[course])
    partner = PartnerFactory()
    return {
        "certification": certification,
        "course": course,
        "user": partner_user(partner=partner),
        "colleague": partner_user(partner=partner),
    }


@pytest.mark.parametrize(
    ("factory", "url"),
    [
        (AssetFactory, "/library/{}/"),
        (AssetFactory, "/library/{}/download/"),
        (ProgramFactory, "/programs/{}/"),
        (BulletinFactory, "/bulletins/{}/"),
        (CourseFactory, "/learning/{}/"),
    ],
)
def test_a_locked_page_says_what_unlocks_it_and_opens_once_held(client, world, factory, url):
    item = factory(
        title="Zebra pricing", summary="Secret margins", **requirement(world["certification"].qualification)
    )
    client.force_login(world["user"])
    response = client.get(url.format(item.pk))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Requires the certification “SD-WAN Pro”, held by you." in page
    assert "SD-WAN Pro course" in page  # the course that earns it
    assert "Secret margins" not in page  # nothing of the item but its title
    CertificateFactory(user=world["user"], certification=world["certification"])
    assert client.get(url.format(item.pk)).status_code == 200


def test_outside_the_audience_a_page_is_404_whatever_it_requires(client, world):
    technical = RoleFactory(key="technical")
    item = AssetFactory(title="Zebra internal", roles=[technical], **requirement(world["certification"].qualification))
    client.force_login(world["user"])
    response = client.get(f"/library/{item.pk}/")
    assert response.status_code == 404
    assert "Zebra internal" not in response.content.decode()


def test_learning_lists_locked_courses_with_what_unlocks_them(client, world):
    qualification = world["certification"].qualification
    CourseFactory(title="Advanced SD-WAN", **requirement(qualification, HeldBy.PARTNER, 2))
    CourseFactory(title="Hidden advanced", roles=[RoleFactory(key="technical")], **requirement(qualification))
    CertificateFactory(user=world["colleague"], certification=world["certification"])
    client.force_login(world["user"])
    page = client.get("/learning/").content.decode()
    assert "Locked for you" in page
    assert "Advanced SD-WAN" in page
    assert "held by at least 2 active users of your company (1 do now)" in page
    assert "Hidden advanced" not in page  # outside the audience: never named
    CertificateFactory(user=world["user"], certification=world["certification"])
    page = client.get("/learning/").content.decode()
    assert "Locked for you" not in page
    assert "Advanced SD-WAN" in page  # now in the catalogue itself


def test_a_german_user_reads_what_unlocks_it_in_german(client, world):
    preferences_update(user=world["user"], language="de")
    asset = AssetFactory(
        title="Zebra pricing", **requirement(world["certification"].qualification, mode=HeldBy.PARTNER, holders=2)
    )
    client.force_login(world["user"])

    page = client.get(f"/library/{asset.pk}/").content.decode()

    assert "Erfordert die Zertifizierung „SD-WAN Pro“, die mindestens 2 aktive Benutzer Ihres Unternehmens" in page
    assert "Requires" not in page


def test_the_learning_page_costs_a_fixed_number_of_queries_whatever_the_locked_courses(
    client, world, django_assert_max_num_queries
):
    qualification = world["certification"].qualification
    client.force_login(world["user"])

    def count() -> int:
        with django_assert_max_num_queries(40) as captured:
            assert client.get("/learning/").status_code == 200
        return len(captured)

    CourseFactory(**requirement(qualification))
    client.get("/learning/")  # the first request of a site makes its branding settings row
    few = count()
    for number in range(8):
        CourseFactory(**requirement(qualification, HeldBy.PARTNER if number % 2 else HeldBy.USER))
    assert count() <= few
