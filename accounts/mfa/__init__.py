"""Multi-factor authentication (issue 15, item 4) on django-allauth's ``allauth.mfa``: an authenticator app (TOTP)
or a security key / passkey (WebAuthn, as a second factor only), with recovery codes.

* ``policy``: who must have a second factor (``mfa_required_for``) and who has one;
* ``enforcement``: the middleware that sends such a user to enrol before anything else (403 JSON on the API);
* ``services``: an administrator's reset (deleting the user's authenticators, audited);
* ``audit``: allauth.mfa's signals recorded in the sign-in audit.
"""
