"""Partner API routes of accounts: ``session`` (a front end's session: who, a CSRF token, sign out) and
``audit`` (a partner admin's view of their partner's sign-in audit). Each module has its own router."""
