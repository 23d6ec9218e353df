"""Partner API routes of accounts: the session of a front end (who is signed in, a CSRF token, sign out)."""

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.cache import patch_cache_control

from ninja import Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from partners.audience import viewer_for
from partners.models import Partner

from ..apiauth import PartnerSessionAuth
from ..mfa.enforcement import held_to_enrolment
from ..mfa.policy import mfa_enabled_for, mfa_required_for
from ..sessions import session_forget

router = Router(tags=["auth"])


class SessionUserOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str


class SessionPartnerOut(Schema):
    id: int
    key: str
    name: str


class SessionMfaOut(Schema):
    enabled: bool
    required: bool
    setup_url: str


class SessionOut(Schema):
    authenticated: bool
    user: SessionUserOut | None
    partner: SessionPartnerOut | None
    api_access: bool
    mfa: SessionMfaOut
    csrf_token: str
    login_url: str
    logout_url: str


class SessionInfoThrottle(AnonRateThrottle):
    """Per client address, signed in or not (the endpoint takes no credential of its own)."""

    def __init__(self):
        super().__init__(settings.PARTNERHUB_SESSION_INFO_RATE)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": "session-info", "ident": self.get_ident(request)}


@router.get(
    "/auth/session",
    auth=None,
    throttle=[SessionInfoThrottle()],
    response=SessionOut,
    summary="Who is signed in, and a CSRF token (for front ends)",
    description="Answers for anyone: `authenticated` false without a session. `api_access` says whether the "
    "signed-in user may use the partner API with this session (a partner user with access today, and a second "
    "factor if they must have one). `mfa` says whether the user has "
    "a second factor (`enabled`) and must have one (`required`): while one is required and not enabled, requests "
    "made with the session answer 403 with `code` `mfa_required` until the user sets it up at `setup_url`. "
    "Send `csrf_token` as the "
    "`X-CSRFToken` header on unsafe requests made with the session cookie. Never cached.",
)
def session(request, response: HttpResponse):
    patch_cache_control(response, no_store=True)
    user = request.user if request.user.is_authenticated else None
    viewer = viewer_for(user) if user is not None else None
    partner = Partner.objects.filter(pk=viewer.partner_id).first() if viewer is not None else None
    return {
        "authenticated": user is not None,
        "user": user,
        "partner": partner,
        "api_access": viewer is not None and not held_to_enrolment(user),
        "mfa": {
            "enabled": mfa_enabled_for(user),
            "required": mfa_required_for(user),
            "setup_url": reverse("mfa_activate_totp"),
        },
        "csrf_token": get_token(request),
        "login_url": reverse("account_login"),
        "logout_url": reverse("api-v1:auth_logout"),
    }


@router.post(
    "/auth/logout",
    auth=PartnerSessionAuth(),
    url_name="auth_logout",
    response={204: None},
    summary="Sign out this session",
    description="Ends the partner user's signed-in session (with the CSRF token, as every unsafe request made "
    "with a session). Staff sign out at /accounts/logout/ or in the admin.",
)
def sign_out(request):
    session_forget(session_key=request.session.session_key)
    logout(request)
    return Status(204, None)
