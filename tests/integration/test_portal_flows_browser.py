"""The partner portal's main flows in a real browser (Debian's chromium) on a live server, as a user does them.

- The library: type part of a title, pick the type-ahead suggestion (htmx), search, narrow by a facet (its count
  shown), open an asset and download it: the download answers with the signed S3 address and is recorded.
- A course to a certificate: enrol, open and finish each lesson, pass the quiz, see the completion page; the
  certification the course completes is issued and shown on /certifications/, and its public verification
  page says "Valid" with the holder's name.
- A partner admin invites a colleague on /team/; the colleague accepts from the e-mail's link in another
  browser, sets a password (and the second factor their partner requires), and lands on the portal, named.

Each flow goes through the pages' own links, forms and buttons (no URL typed in) except where a user would
follow a link from outside the portal (the invitation e-mail).
"""

from __future__ import annotations

import os
import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from accounts.factories import partner_user_with_password
from certifications.factories import CertificationFactory
from cms.factories import AssetFactory
from cms.models import Asset, Download
from courses.factories import QuestionFactory, QuizFactory, course_with
from partners.factories import PartnerFactory, RoleFactory
from partners.models import PARTNER_ADMIN_ROLE, PartnerMfaPolicy
from search.services import search_reindex
from tests.accounts.mfa import enrol, fresh_totp_code

from .accessibility import DESKTOP, PHONE, assert_accessible, assert_fits_the_width

live_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def partner():
    return PartnerFactory(name="Acme Networks")


@pytest.fixture
def dana(partner):
    """A partner user of Acme (no second factor asked: Acme's policy is the default)."""
    return partner_user_with_password(
        email="dana@acme.example", partner=partner, user__first_name="Dana", user__last_name="Doyle"
    )


# --- a. The library: type-ahead, a facet, the asset, its download ---------------------------------------------


@live_data
def test_a_partner_user_finds_an_asset_by_type_ahead_and_a_facet_and_downloads_it(new_context, dana):
    deck = AssetFactory(title="Firewall sizing deck", asset_type=Asset.AssetType.PRESENTATION)
    AssetFactory(title="Firewall sizing video", asset_type=Asset.AssetType.VIDEO)
    AssetFactory(title="Unrelated price list", asset_type=Asset.AssetType.PRICE_LIST)
    search_reindex()

    page = new_context(dana, viewport=DESKTOP).new_page()
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Library").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Type-ahead: part of a title brings the suggestions (an htmx fragment) under the box.
    search_box = page.get_by_label("Search the library")
    # Wait for the type-ahead's own request (a cold Elasticsearch may take longer than an assertion's 5 s).
    with page.expect_response(lambda response: "/library/suggest/?" in response.url and "q=firew" in response.url):
        search_box.press_sequentially("firew")
    suggestions = page.locator("#library-suggestions")
    expect(suggestions.get_by_role("link", name="Firewall sizing deck")).to_be_visible()
    expect(suggestions.get_by_role("link", name="Firewall sizing video")).to_be_visible()
    expect(suggestions.get_by_role("link", name="Unrelated price list")).to_have_count(0)

    # Finish the word (the full search matches whole words; the type-ahead, their beginnings) and search:
    # both firewall assets, not the price list.
    search_box.press_sequentially("all")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#library-results")
    expect(page.locator("#library-count")).to_have_text(re.compile(r"2 assets for .firewall"))
    expect(results.get_by_role("link", name="Firewall sizing deck", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Unrelated price list", exact=True)).to_have_count(0)

    # The type facet shows a count per type; "Presentation" narrows the results to the deck.
    presentation = results.locator("a.facet-value", has_text="Presentation")
    expect(presentation.locator(".facet-count")).to_have_text("1")
    presentation.click()
    expect(page.locator("#library-count")).to_have_text(re.compile(r"^\s*1 asset for"))
    expect(results.locator("a.facet-value[aria-current=true]", has_text="Presentation")).to_be_visible()
    expect(results.get_by_role("link", name="Firewall sizing video", exact=True)).to_have_count(0)

    # Open the asset, then download it: the answer is the file's signed S3 address, and the download is recorded.
    results.get_by_role("link", name="Firewall sizing deck", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Firewall sizing deck")).to_be_visible()
    assert page.url.split("?")[0].endswith(f"/library/{deck.pk}/")
    download_link = page.locator(".asset-download").get_by_role("link", name=re.compile("^Download"))
    asset_url = page.url
    with page.expect_response(lambda response: "X-Amz-Signature=" in response.url) as answer:
        download_link.click()
    # The portal answered with a redirect to the file's signed, expiring S3 address, which serves the file.
    s3_answer = answer.value
    assert s3_answer.request.redirected_from.url.endswith(f"/library/{deck.pk}/download/")
    assert s3_answer.url.startswith(os.environ["AWS_S3_ENDPOINT_URL"]) and "X-Amz-Expires=" in s3_answer.url
    assert s3_answer.status == 200, s3_answer.status
    assert Download.objects.filter(asset=deck, user=dana).count() == 1

    # The asset's page again (the browser showed the PDF or saved it: either way, open the page as it was), which
    # now says when the current version was downloaded.
    page.goto(asset_url)
    expect(page.get_by_text("You downloaded the current version on")).to_be_visible()


# --- c. A partner admin invites a colleague, who accepts from the e-mail ----------------------------------------


@live_data
def test_a_partner_admin_invites_a_colleague_who_accepts_from_the_email_and_lands_on_the_portal(
    new_context, partner, live_server
):
    # The partner requires a second factor of its users: the newcomer sets one up before reaching the portal.
    partner.mfa_policy = PartnerMfaPolicy.REQUIRED
    partner.save(update_fields=["mfa_policy"])
    RoleFactory(key="sales", name="Sales")
    admin = partner_user_with_password(
        email="erin@acme.example",
        partner=partner,
        roles=[RoleFactory(key=PARTNER_ADMIN_ROLE)],
        user__first_name="Erin",
        user__last_name="Evans",
    )
    enrol(admin)
    mail.outbox.clear()

    page = new_context(admin, viewport=DESKTOP).new_page()
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="My team").click()
    invite_form = page.locator("form.invite-form")
    invite_form.get_by_label("E-mail").fill("finn@acme.example")
    invite_form.get_by_label("Sales").check()
    invite_form.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#invitations")).to_contain_text("finn@acme.example")
    _accessible_at_both_widths(page, "the team page after an invitation")

    # The e-mail carries the link to accept (sent by the live server, in this process).
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == ["finn@acme.example"]
    link = re.search(r"https?://\S+/accounts/invitations/[^/\s]+/", message.body)
    assert link, message.body
    path = "/" + link.group(0).split("/", 3)[3]

    # Finn opens it in their own browser (no session), chooses a name and a password, and is on the portal.
    finn = new_context(viewport=DESKTOP).new_page()
    finn.goto(path)
    expect(finn.get_by_role("heading", level=1)).to_have_text("Join Acme Networks")
    _accessible_at_both_widths(finn, "accepting an invitation")
    finn.locator("input[name=first_name]").fill("Finn")
    finn.locator("input[name=last_name]").fill("Fischer")
    finn.locator("input[name=password1]").fill("a long and Unusual passphrase 42")
    finn.locator("input[name=password2]").fill("a long and Unusual passphrase 42")
    finn.locator("form button[type=submit]").click()

    # Acme requires a second factor: the password again (any change to MFA asks), then the app, then the codes.
    finn.wait_for_url("**/accounts/reauthenticate/**")
    finn.fill("#id_password", "a long and Unusual passphrase 42")
    finn.click("button[type=submit]")
    finn.wait_for_url("**/accounts/2fa/totp/activate/")
    finn.fill("#id_code", fresh_totp_code(finn.input_value("#authenticator_secret")))
    finn.click("button[type=submit]")
    finn.wait_for_url("**/accounts/2fa/recovery-codes/")
    finn.get_by_text("I have saved them: continue").click()
    finn.wait_for_url(f"{live_server.url}/")
    expect(finn.get_by_role("heading", level=1)).to_have_text("Welcome, Finn")


def _accessible_at_both_widths(page, name: str) -> None:
    """The page as it stands: no serious or critical axe violation at 1440 and 375 px, no sideways scrolling."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        where = f"{name} ({viewport['width']} px, {page.url})"
        if viewport is PHONE:
            assert_fits_the_width(page, where=where)
        assert_accessible(page, where=where)


# --- b. A course through its quiz to a certificate, verified in public ------------------------------------------


@live_data
def test_a_partner_user_takes_a_course_through_its_quiz_to_a_certificate_anyone_can_verify(new_context, dana):
    quiz = QuizFactory(title="Firewall basics quiz", pass_mark=50)
    for _ in range(2):
        QuestionFactory(bank=quiz.bank, choices=[("Right", True), ("Wrong", False)])
    course = course_with(lessons_per_module=(2,), final_quiz=quiz, title="Firewall basics")
    CertificationFactory(title="Certified Firewall Associate", required_courses=[course])

    page = new_context(dana, viewport=DESKTOP).new_page()
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Learning").first.click()
    page.get_by_role("button", name="Enrol and start Firewall basics").click()
    # Each lesson: "Mark as done and continue" until the last, which leads on to the quiz.
    for _ in range(2):
        expect(page.get_by_role("heading", level=1)).to_contain_text("Lesson")
        _accessible_at_both_widths(page, "a lesson")
        page.get_by_role("button", name=re.compile("^Mark as done")).click()
    page.get_by_role("link", name=re.compile("Firewall basics quiz")).first.click()
    _accessible_at_both_widths(page, "the quiz")
    page.get_by_role("button", name=re.compile("^Start the quiz")).click()
    expect(page.get_by_role("button", name="Submit my answers")).to_be_visible()
    _accessible_at_both_widths(page, "a quiz attempt")
    for radio in page.locator("#quiz-attempt label.choice", has_text="Right").all():
        radio.click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("#quiz-attempt .result-verdict")).to_have_text("Passed")
    _accessible_at_both_widths(page, "a quiz attempt's result")
    page.get_by_role("link", name="You completed the course: see your completion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You completed “Firewall basics”")
    _accessible_at_both_widths(page, "the completion page")

    # The certification the course completes is issued (on completion, in the request) and listed.
    page.get_by_role("navigation").get_by_role("link", name="Certifications").first.click()
    page.get_by_role("link", name="Details Certified Firewall Associate").first.click()
    _accessible_at_both_widths(page, "a newly issued certificate")
    verify_url = page.locator(".cert-share-input").first.input_value()
    assert "/verify/" in verify_url, verify_url

    # Anyone with the link (signed out) sees it valid, with the holder's name.
    visitor = new_context(viewport=DESKTOP).new_page()
    visitor.goto(verify_url)
    expect(visitor.locator(".verdict")).to_have_text("Valid")
    expect(visitor.locator("main")).to_contain_text("Dana Doyle")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Certified Firewall Associate")
