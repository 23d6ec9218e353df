"""Keycloak for the tests and ``make stack``: its Maven pom, the realms in ``realms/``, and ``idp`` (test support)."""
