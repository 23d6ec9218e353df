"""Settings of signing in, part of the base settings (``base.py`` imports them): backends, lock-out (django-axes),
accounts (django-allauth), single sign-on, multi-factor authentication and the sign-in audit.

Driven by environment variables like the rest; ``dev``, ``test`` and ``production`` override them after ``base``.
"""

from datetime import timedelta

import environ

env = environ.Env()

AUTHENTICATION_BACKENDS = [
    "cms.authentication.LockoutBackend",  # first: refuses a locked-out sign-in before the password is checked
    "accounts.sso.backends.SSODomainBackend",  # refuses any password for an address an SSO connection's domain
    "django.contrib.auth.backends.ModelBackend",  # usernames: the Wagtail admin's sign-in
    "allauth.account.auth_backends.AuthenticationBackend",  # e-mail addresses: /accounts/login/
]
# Sign-in lock-out (django-axes, at the Wagtail admin's and at /accounts/login/): AXES_FAILURE_LIMIT failures for
# one account from one client address lock that pair for AXES_COOLOFF_MINUTES; the account still signs in from
# elsewhere, and other accounts from that address. The address is the rate limits' (NINJA_NUM_PROXIES trusted
# proxies); the account is the same whether named by username (admin) or e-mail address (accounts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.apiv1.throttling.client_address"
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-ins for this account from your address. Try again later, or ask an administrator "
    "to unlock it (manage.py axes_reset_username USERNAME)."
)
AXES_ENABLE_ADMIN = False  # there is no Django admin site to show its records in
AXES_USERNAME_CALLABLE = "accounts.throttling.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"  # a page saying what happened, 429

# Accounts (django-allauth, app ``accounts``): partner users sign in at /accounts/login/ with their e-mail
# address; staff keep the Wagtail admin's sign-in, and their password works at both. Nobody signs up: partner
# users come from the importer, invitations and single sign-on (accounts.adapter.AccountAdapter).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "reset_password": "accounts.forms.ResetPasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Addresses from the importer are trusted; an address a user adds or changes to is used only once verified.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the user when their password or address changed
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset asked for an unknown address sends nothing (and says the same)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partner Hub] "
ACCOUNT_SESSION_REMEMBER = None  # the user chooses; otherwise the session ends with the browser
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the other sessions end, this one stays (Django's session hash)
# allauth's own limits, per client address (never per account alone: a right password from elsewhere always
# gets in; per account and address is django-axes' job above). Format: "<count>/<period>/<key>".
ACCOUNT_RATE_LIMITS = {
    "login": env.str("ACCOUNT_LOGIN_RATE", default="30/m/ip"),
    "login_failed": env.str("ACCOUNT_LOGIN_FAILED_RATE", default="10/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
    "reauthenticate": "10/m/user",
}
# Single sign-on (allauth.socialaccount): each accounts.SSOConnection (Settings → Single sign-on) is an OIDC or
# SAML app of allauth's, built by accounts.sso.adapter from its row; nothing is configured here per IdP. A user
# of a connection's e-mail domains is created on their first sign-in, in that connection's partner only.
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # just in time: no sign-up form after the IdP
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # an existing user of a connection's domain signs in through its IdP
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the connection owns the domain: its IdP vouches for the address
SOCIALACCOUNT_STORE_TOKENS = False  # the hub never calls the IdP on the user's behalf
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=10)
# SSO client secrets are stored encrypted (django-fernet-encrypted-fields): Fernet keys derived from SECRET_KEY
# (and SECRET_KEY_FALLBACKS, so a rotation keeps reading them) with these salts.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALTS", default=["partnerhub-sso-secrets"])
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])  # earlier keys, while rotating SECRET_KEY

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"  # the partner portal comes later
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Staff sign in at /accounts/login/ too, with their e-mail address, so that nobody skips the second factor:
# /admin/login/ redirects there (cms/urls.py) and Wagtail sends anyone signed out of the admin there.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"

# Multi-factor authentication (allauth.mfa; accounts.mfa): an authenticator app (TOTP) with recovery codes,
# asked after the password or single sign-on of everyone who has set one up (pages at /accounts/2fa/).
# Required (accounts.mfa.policy.mfa_required_for) for staff who can publish or administer and for the users of
# partners whose MFA policy is "required": they are sent to set it up before anything else. Security keys and
# passkeys (WebAuthn) serve as a second factor too (not for signing in without a password); browsers allow them
# only over HTTPS (or on localhost).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Partner Hub")  # the name authenticator apps show
# Codes of the 30-second steps either side of now also pass (clock drift); a code passes once.
MFA_TOTP_TOLERANCE = env.int("MFA_TOTP_TOLERANCE", default=0)
MFA_RECOVERY_CODE_COUNT = 10  # one-time codes for a lost phone, shown after activation and on request
MFA_TRUST_ENABLED = False  # no "trust this browser": the code is asked at every sign-in
# Hold users to the policy above (never from the environment; `check --deploy` fails without it, and every test
# runs with it: test staff who work in the admin have a second factor).
PARTNERHUB_MFA_ENFORCED = True

# Sign-in audit (accounts.SignInEvent; Reports → Sign-ins): events older than SIGN_IN_AUDIT_DAYS are deleted by
# the beat task purge-sign-in-events (every SIGN_IN_AUDIT_PURGE_SECONDS). 400 days: a year back, and some.
SIGN_IN_AUDIT_DAYS = env.int("SIGN_IN_AUDIT_DAYS", default=400)
