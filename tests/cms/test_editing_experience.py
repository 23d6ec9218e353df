"""The gated content editor as a new editor and a moderator meet it (issue 20, item 2).

An editor who may not publish gets "Submit to Marketing review" as the main button; go-live and
expiry say which time zone they are in; a moderator's approval of an item that goes live later
says "Approve and schedule", and the message after any approval says what happened; an archived
item's fields are read-only.
"""

import html
from datetime import timedelta
from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest

from cms.factories import AssetFactory
from cms.gating.editing import PUBLISH
from cms.gating.lifecycle import content_archive
from cms.models import Asset
from partners.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def member_of(group: str):
    user = StaffUserFactory(is_superuser=False)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor():
    return member_of("Editors")


@pytest.fixture
def moderator():
    return member_of("Moderators")


def edit_url(asset) -> str:
    return reverse("wagtailsnippets_cms_asset:edit", args=[asset.pk])


def in_review(*, editor, go_live_at=None) -> Asset:
    asset = AssetFactory(live=False, title="Price deck", go_live_at=go_live_at)
    asset.save_revision(user=editor)
    asset.get_workflow().start(asset, editor)
    return Asset.objects.get(pk=asset.pk)


def approve(client, asset, **fields):
    return client.post(
        edit_url(asset),
        {
            "title": asset.title,
            "asset_type": asset.asset_type,
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            **fields,
        },
        follow=True,
    )


class FormFields(HTMLParser):
    """What a browser posts for the edit form as shown (inputs, checked boxes, selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.data.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data[-1]
            self.data[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def as_shown(client, asset) -> dict:
    page = client.get(edit_url(asset)).content.decode()
    form = page[page.index('id="w-editor-form"') :]
    parser = FormFields()
    parser.feed(form[: form.index("</form>")])
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def messages_of(response) -> list[str]:
    """The messages' text (Wagtail renders an "Edit" button into them)."""
    return [html.unescape(str(message)).split("\n")[0] for message in response.context["messages"]]


def test_submitting_is_the_main_action_of_an_editor_who_may_not_publish(client, editor, moderator):
    asset = AssetFactory(live=False)
    client.force_login(editor)
    menu = client.get(edit_url(asset)).context["action_menu"]
    assert menu.default_item.name == "action-submit"
    assert "action-save" in [item.name for item in menu.menu_items]  # saving a draft is still offered

    client.force_login(moderator)  # who may publish: Wagtail's order (save first, publish in the menu)
    menu = client.get(edit_url(asset)).context["action_menu"]
    assert menu.default_item.name != "action-submit"
    assert PUBLISH in [item.name for item in menu.menu_items]  # the name put_submit_first looks for is the menu's


def test_go_live_and_expiry_say_which_time_zone_they_are_in(client, editor, settings):
    asset = AssetFactory(live=False)
    client.force_login(editor)
    html = client.get(edit_url(asset)).content.decode()
    assert f"Times are in {settings.TIME_ZONE}" in html

    profile = UserProfile.get_for_user(editor)
    profile.current_time_zone = "America/New_York"
    profile.save()
    html = client.get(edit_url(asset)).content.decode()
    assert "Times are in America/New_York (UTC-0" in html  # -05:00 or -04:00, with the offset of today


def test_an_approval_that_only_schedules_is_named_so_and_says_when(client, editor, moderator):
    go_live = timezone.now() + timedelta(days=3)
    asset = in_review(editor=editor, go_live_at=go_live)
    client.force_login(moderator)

    labels = [str(item.label) for item in client.get(edit_url(asset)).context["action_menu"].menu_items]
    assert "Approve and schedule" in labels and "Approve and Publish" not in labels

    response = approve(client, asset, go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))

    [message] = [m for m in messages_of(response) if "Price deck" in m]
    local = timezone.localtime(go_live)
    expected = (
        f"Asset 'Price deck' approved and scheduled: it goes live on {local:%-d %B %Y, %H:%M} ({local.tzname()})."
    )
    assert message == expected
    asset = Asset.objects.get(pk=asset.pk)
    assert not asset.live and asset.scheduled_revision is not None


def test_an_approval_that_publishes_says_so(client, editor, moderator):
    asset = in_review(editor=editor)
    client.force_login(moderator)
    labels = [str(item.label) for item in client.get(edit_url(asset)).context["action_menu"].menu_items]
    assert "Approve and Publish" in labels

    response = approve(client, asset)

    assert "Asset 'Price deck' approved and published." in messages_of(response)
    assert Asset.objects.get(pk=asset.pk).live


def test_requesting_changes_says_the_item_is_back_with_its_editor(client, editor, moderator):
    asset = in_review(editor=editor)
    client.force_login(moderator)
    response = client.post(
        edit_url(asset),
        {
            "title": asset.title,
            "asset_type": asset.asset_type,
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": '{"comment": "Add the price list"}',
        },
        follow=True,
    )
    assert "Changes requested on Asset 'Price deck': it is back with its editor as a draft." in messages_of(response)
    assert not Asset.objects.get(pk=asset.pk).live


def test_an_archived_items_fields_are_read_only(client, moderator):
    asset = AssetFactory(live=False, title="Old deck")
    content_archive(item=asset)
    client.force_login(moderator)
    response = client.get(edit_url(asset))
    form = response.context["form"]
    assert all(field.disabled for field in form.fields.values())
    page = response.content.decode()
    assert 'name="title"' in page and "disabled" in page.split('name="title"')[1][:200]


def test_the_history_says_approved_not_edited_and_expired_not_unpublished(client, editor, moderator):
    from wagtail.models import ModelLogEntry

    from cms.gating.lifecycle import lifecycle_sweep

    asset = in_review(editor=editor)
    client.force_login(moderator)
    unchanged = as_shown(client, asset)  # the form as the moderator sees it, approved without a change
    unchanged.pop("csrfmiddlewaretoken", None)
    response = client.post(
        edit_url(asset),
        {**unchanged, "action-workflow-action": "1", "workflow-action-name": "approve"},
        follow=True,
    )
    assert "Asset 'Price deck' approved and published." in messages_of(response)
    Asset.objects.filter(pk=asset.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    lifecycle_sweep()

    entries = ModelLogEntry.objects.filter(object_id=str(asset.pk)).order_by("timestamp", "pk")
    actions = [entry.action for entry in entries]
    assert "wagtail.edit" not in actions[actions.index("wagtail.workflow.start") :]  # the approval edited nothing
    history = client.get(reverse("wagtailsnippets_cms_asset:history", args=[asset.pk])).content.decode()
    assert "Expired" in history and "Unpublished scheduled draft" not in history
    assert "Approved" in history or "Approve" in history


def test_the_add_form_does_not_autosave_a_draft_before_the_editor_saves(client, editor):
    client.force_login(editor)
    add = client.get(reverse("wagtailsnippets_cms_asset:add"))
    assert add.context["autosave_enabled"] is False
    assert 'data-controller="w-unsaved w-autosave"' not in add.content.decode()  # nothing saves an abandoned form

    asset = AssetFactory(live=False)
    edit = client.get(edit_url(asset))
    assert edit.context["autosave_enabled"] is True  # once saved, edits are autosaved as Wagtail does
    assert 'data-controller="w-unsaved w-autosave"' in edit.content.decode()


def test_an_editor_who_may_not_restore_gets_no_action_on_an_archived_item(client, editor, moderator):
    asset = AssetFactory(live=False, title="Old deck")
    content_archive(item=asset)
    client.force_login(editor)
    response = client.get(edit_url(asset))
    assert response.context["action_menu"].default_item is None  # no Submit, no Save: nothing to do here
    assert "Ask a moderator to restore it to change it." in html.unescape(response.content.decode())

    client.force_login(moderator)
    menu = client.get(edit_url(asset)).context["action_menu"]
    assert [menu.default_item.name, *[item.name for item in menu.menu_items]] == ["action-restore"]
