"""Who gets which analytics out of the box: the groups' permissions the migrations give (the demo's channel
managers are Editors)."""

from django.contrib.auth.models import Group

import pytest

from analytics.models import ScorecardWeights
from partners.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "engagement": "/admin/reports/engagement/",
    "scorecards": "/admin/reports/scorecards/",
    "content performance": "/admin/reports/content-performance/",
    "scorecard weights": "/admin/settings/analytics/scorecardweights/",
}


def member_of(group_name):
    # A moderator may publish, so must have a second factor (accounts.mfa); an editor may have one too.
    user = StaffUserFactory(is_superuser=False)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize(
    ("group_name", "opens"),
    [
        ("Editors", {"engagement", "scorecards", "content performance", "scorecard weights"}),
        ("Moderators", {"engagement", "content performance"}),
    ],
)
def test_editors_and_moderators_open_the_analytics_their_groups_are_given(client, group_name, opens):
    client.force_login(member_of(group_name))

    opened = set()
    for name, url in PAGES.items():
        response = client.get(url, follow=True)  # the weights redirect to their one record; a refusal to /admin/
        if response.status_code == 200 and response.request["PATH_INFO"].startswith(url):
            opened.add(name)

    assert opened == opens


def test_an_editor_sets_the_scorecard_weights_and_a_weightless_form_is_refused(client):
    client.force_login(member_of("Editors"))
    url = client.get(PAGES["scorecard weights"], follow=True).request["PATH_INFO"]
    weights = {"engagement": 50, "learning": 20, "certification": 20, "bulletins": 10, "inactive_days": 21}

    saved = client.post(url, weights)
    refused = client.post(url, {**weights, "engagement": 0, "learning": 0, "certification": 0, "bulletins": 0})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Give at least one part a weight above 0." in refused.content.decode()
    assert ScorecardWeights.load().as_dict()["engagement"] == 50
