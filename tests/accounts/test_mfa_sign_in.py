"""Setting up an authenticator app through allauth's pages, the second factor asked at sign-in (a real TOTP code),
recovery codes that work once, and what the sign-in audit records of it all."""

import re

from django.test import Client

import pytest

from accounts.factories import PASSWORD, staff_user_with_password
from accounts.models import SignInEvent, SignInEventType

from .mfa import authenticator_types, enrol, fresh_totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
REAUTHENTICATE = "/accounts/reauthenticate/"
RECOVERY_CODES = "/accounts/2fa/recovery-codes/"
EMAIL = "boss@vendor.example"


@pytest.fixture
def boss():
    return staff_user_with_password(username="boss", email=EMAIL, is_superuser=True)


def sign_in(client, next_url="/admin/"):
    return client.post(f"{LOGIN}?next={next_url}", {"login": EMAIL, "password": PASSWORD})


def audit(*events) -> list[tuple[str, str]]:
    rows = SignInEvent.objects.filter(event__in=events).order_by("at", "pk")
    return [(row.event, row.detail) for row in rows]


def test_a_publisher_sets_up_an_app_with_a_real_code_and_goes_on_to_the_admin(
    boss, django_capture_on_commit_callbacks
):
    client = Client()
    assert sign_in(client)["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == ACTIVATE
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    page = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page).group(1)

    wrong = client.post(ACTIVATE, {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(ACTIVATE, {"code": fresh_totp_code(secret)})
    assert done["Location"] == RECOVERY_CODES
    assert authenticator_types(boss) == {"totp", "recovery_codes"}

    codes = client.get(RECOVERY_CODES).content.decode()
    assert len(re.findall(r"<li><code>[0-9a-f]{8}</code></li>", codes)) == 10
    assert 'href="/admin/"' in codes  # "I have saved them: continue"
    assert client.get("/admin/").status_code == 200
    assert audit(SignInEventType.MFA_ENABLED) == [("mfa.enabled", "TOTP"), ("mfa.enabled", "recovery codes")]
    assert SignInEvent.objects.get(event=SignInEventType.MFA_ENABLED, detail="TOTP").user == boss


def test_the_second_factor_is_asked_after_the_password_and_a_code_passes_once(boss):
    secret, _codes = enrol(boss)
    client = Client()
    assert sign_in(client)["Location"] == AUTHENTICATE
    assert client.get("/admin/")["Location"].startswith(LOGIN)  # the password alone signs nobody in

    wrong = client.post(AUTHENTICATE, {"code": "123456"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    code = fresh_totp_code(secret)
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    [success] = SignInEvent.objects.filter(event=SignInEventType.SIGN_IN_SUCCEEDED)
    assert (success.user, success.detail) == (boss, "second factor: TOTP")
    assert audit(SignInEventType.SIGN_IN_FAILED) == [("sign_in.failed", "Wrong two-factor code")]

    # The same code again, from another browser, within its 30 seconds: refused.
    other = Client()
    assert sign_in(other)["Location"] == AUTHENTICATE
    assert other.post(AUTHENTICATE, {"code": code}).status_code == 200
    assert other.get("/admin/")["Location"].startswith(LOGIN)


def test_a_recovery_code_signs_in_once(boss):
    _secret, codes = enrol(boss)
    client = Client()
    sign_in(client)
    assert client.post(AUTHENTICATE, {"code": codes[0]})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")

    sign_in(client)
    again = client.post(AUTHENTICATE, {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code." in again.content.decode()
    assert client.post(AUTHENTICATE, {"code": codes[1]})["Location"] == "/admin/"
    details = [e.detail for e in SignInEvent.objects.filter(event=SignInEventType.SIGN_IN_SUCCEEDED).order_by("pk")]
    assert details == ["second factor: RECOVERY_CODES"] * 2


def test_cancelling_the_second_factor_signs_nobody_in(boss):
    enrol(boss)
    client = Client()
    sign_in(client)
    page = client.get(AUTHENTICATE).content.decode()
    assert 'id="logout-from-stage"' in page
    assert "<script" not in page  # no security key: allauth's WebAuthn script is not even loaded
    client.post("/accounts/logout/", {"next": LOGIN})
    assert client.get("/admin/")["Location"].startswith(LOGIN)


def test_turning_the_app_off_and_new_recovery_codes_are_audited(boss, django_capture_on_commit_callbacks):
    secret, _codes = enrol(boss)
    client = Client()
    sign_in(client)
    client.post(AUTHENTICATE, {"code": fresh_totp_code(secret)})
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{RECOVERY_CODES}generate/")
    assert client.post("/accounts/2fa/totp/deactivate/")["Location"] == "/accounts/2fa/"
    assert authenticator_types(boss) == set()
    assert audit(SignInEventType.MFA_RECOVERY_CODES, SignInEventType.MFA_DISABLED) == [
        ("mfa.recovery_codes", "recovery codes regenerated"),
        ("mfa.disabled", "TOTP"),
        ("mfa.disabled", "recovery codes"),
    ]
    # A publisher without an app is sent straight back to set one up.
    assert client.get("/admin/")["Location"] == ACTIVATE


def test_guessing_codes_is_limited_per_address(boss, settings):
    enrol(boss)
    client = Client()
    sign_in(client)
    for _ in range(10):  # ACCOUNT_LOGIN_FAILED_RATE: 10 a minute from one address
        client.post(AUTHENTICATE, {"code": "000000"})
    refused = client.post(AUTHENTICATE, {"code": "000000"}).content.decode()
    assert "Too many failed login attempts" in refused
