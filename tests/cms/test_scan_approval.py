"""A moderator approving an asset whose file is not cleared by the virus scan gets the reason, not a 403 page.

The approval is refused (``Asset.publish``), the workflow stays in review and nothing goes live,
whichever way the moderator approves: the edit view's "Approve" or the workflow action URL (the
dashboard's and the modal's).
"""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from cms.factories import AssetFactory
from cms.models import Asset
from partners.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(clamd_down):
    """An asset stored while the scanner was down (pending scan), submitted to Marketing review."""
    editor = StaffUserFactory(is_superuser=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = StaffUserFactory(is_superuser=False)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    asset = AssetFactory(live=False, title="Price deck")
    asset.save_revision(user=editor)
    asset.get_workflow().start(asset, editor)
    return Asset.objects.get(pk=asset.pk), moderator


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def assert_nothing_changed(asset):
    asset = Asset.objects.get(pk=asset.pk)
    assert not asset.live
    assert asset.current_workflow_state.status == "in_progress"


def test_approving_from_the_edit_view_says_why_nothing_was_published(client, in_review):
    asset, moderator = in_review
    client.force_login(moderator)
    edit_url = reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])

    response = client.post(
        edit_url,
        {
            "title": "Price deck",
            "asset_type": "document",
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
        },
    )

    assert response.status_code == 302 and response["Location"] == edit_url
    [message] = [m for m in messages_of(response) if "approved" in m]
    assert "Nothing was approved or published" in message and "waiting for its virus scan" in message
    assert_nothing_changed(asset)
    page = client.get(edit_url)
    assert page.status_code == 200 and "waiting for its virus scan" in page.content.decode()


@pytest.mark.parametrize("modal", [False, True])
def test_approving_through_the_workflow_action_url_says_why(client, in_review, modal):
    asset, moderator = in_review
    client.force_login(moderator)
    task_state = asset.current_workflow_task_state
    url = reverse("wagtailsnippets_cms_asset:workflow_action", args=[asset.pk, "approve", task_state.pk])
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if modal else {}

    response = client.post(url, {"comment": ""}, **headers)

    edit_url = reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])
    if modal:
        assert response.status_code == 200
        assert response.json()["step"] == "success" and response.json()["redirect"] == edit_url
    else:
        assert response.status_code == 302 and response["Location"] == edit_url
    assert any("waiting for its virus scan" in m for m in messages_of(response))
    assert_nothing_changed(asset)
