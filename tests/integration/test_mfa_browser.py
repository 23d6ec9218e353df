"""MFA in a real browser on a live server: a staff editor who can publish is made to set up an authenticator app
(the secret read from the page, the code computed as the app would), signs out, signs in again, is challenged,
enters the code and lands in the admin; a recovery code then works once.

Screenshots of each step go to ``.stack/screenshots/mfa-*.png``.
"""

import time

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

import pytest

from accounts.factories import PASSWORD, staff_user_with_password
from accounts.models import SignInEvent, SignInEventType
from tests.accounts.mfa import PERIOD, totp_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "maria.editor@vendor.example"


@pytest.fixture
def publisher():
    """An editor of the vendor who may publish pages (and so must have a second factor)."""
    editor = staff_user_with_password(username="maria", email=EMAIL, is_superuser=False)
    group = Group.objects.create(name="Publishers")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    editor.groups.add(group)
    return editor


def sign_in(page, base: str):
    page.goto(f"{base}/admin/")
    assert "/accounts/login/?next=/admin/" in page.url  # the admin sends staff to the one sign-in
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_load_state()


def sign_out(page, base: str):
    page.goto(f"{base}/accounts/logout/")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/accounts/login/")


def code_of_a_new_step(secret: str, after_step: int) -> tuple[str, int]:
    """The app's code in a 30-second step after ``after_step`` (a code passes once), with a few seconds left."""
    while int(time.time()) // PERIOD <= after_step or PERIOD - time.time() % PERIOD < 3:
        time.sleep(0.5)
    now = time.time()
    return totp_code(secret, now), int(now) // PERIOD


def test_a_publisher_enrols_is_challenged_and_a_recovery_code_works_once(live_server, page, publisher, screenshot_dir):
    base = live_server.url
    sign_in(page, base)

    # Held to the policy: allauth first asks for the password again (any change to MFA does), saying why.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert "Set up two-factor authentication to continue" in page.content()
    page.screenshot(path=screenshot_dir / "mfa-1-why-and-confirm-password.png", full_page=True)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert page.locator("img.mfa-qr").is_visible()
    page.screenshot(path=screenshot_dir / "mfa-2-set-up-the-app.png", full_page=True)
    code, step = code_of_a_new_step(secret, after_step=0)
    page.fill("#id_code", code)
    page.click("button[type=submit]")

    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
    recovery_codes = [text.strip() for text in page.locator("#recovery_codes code").all_inner_texts()]
    assert len(recovery_codes) == 10
    page.screenshot(path=screenshot_dir / "mfa-3-recovery-codes.png", full_page=True)
    page.click("text=I have saved them: continue")
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("text=Dashboard").first.is_visible() or "Wagtail" in page.title()

    # Next time: the password, then the app's code.
    sign_out(page, base)
    sign_in(page, base)
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.screenshot(path=screenshot_dir / "mfa-4-challenge.png", full_page=True)
    code, step = code_of_a_new_step(secret, after_step=step)
    page.fill("#id_code", code)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(f"{base}/admin/")
    page.screenshot(path=screenshot_dir / "mfa-5-in-the-admin.png")

    # A lost phone: a recovery code signs in once.
    sign_out(page, base)
    sign_in(page, base)
    page.fill("#id_code", recovery_codes[0])
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(f"{base}/admin/")
    sign_out(page, base)
    sign_in(page, base)
    page.fill("#id_code", recovery_codes[0])
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_load_state()
    assert page.url == f"{base}/accounts/2fa/authenticate/"
    assert "Incorrect code." in page.content()
    page.screenshot(path=screenshot_dir / "mfa-6-recovery-code-used.png", full_page=True)

    successes = SignInEvent.objects.filter(user=publisher, event=SignInEventType.SIGN_IN_SUCCEEDED).order_by("pk")
    assert [event.detail for event in successes] == ["", "second factor: TOTP", "second factor: RECOVERY_CODES"]
    assert SignInEvent.objects.filter(user=publisher, event=SignInEventType.MFA_ENABLED).count() == 2


def test_a_publisher_adds_a_security_key_instead_and_signs_in_with_it(live_server, page, publisher, screenshot_dir):
    """WebAuthn through allauth's own script, with chromium's virtual authenticator (DevTools protocol)."""
    base = live_server.url
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, base)
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    page.click("text=Use it instead")

    page.wait_for_url(f"{base}/accounts/2fa/webauthn/add/")
    page.fill("#id_name", "Maria's key")
    page.screenshot(path=screenshot_dir / "mfa-webauthn-1-add-a-key.png", full_page=True)
    page.click("#mfa_webauthn_add")
    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
    page.click("text=I have saved them: continue")
    page.wait_for_url(f"{base}/admin/")
    assert (
        len(
            devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})[
                "credentials"
            ]
        )
        == 1
    )

    sign_out(page, base)
    sign_in(page, base)
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.screenshot(path=screenshot_dir / "mfa-webauthn-2-challenge.png", full_page=True)
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(f"{base}/admin/")
    [last] = SignInEvent.objects.filter(user=publisher, event=SignInEventType.SIGN_IN_SUCCEEDED).order_by("-pk")[:1]
    assert last.detail == "second factor: WEBAUTHN"
    added = SignInEvent.objects.filter(user=publisher, event=SignInEventType.MFA_ENABLED).order_by("pk")
    assert [event.detail for event in added] == ["security key", "recovery codes"]
