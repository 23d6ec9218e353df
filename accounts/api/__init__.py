"""Partner API routes of accounts: ``session`` (a front end's session: who, a CSRF token, sign out) and
``audit`` (a partner admin's view of their partner's sign-in audit) and ``mfa`` (a partner admin resets
their user's two-factor authentication). Each module has its own router."""
