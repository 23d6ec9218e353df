"""Fixtures of the accounts tests: a partner user and an editor who sign in with passwords."""

import pytest

from accounts.factories import PASSWORD, partner_user_with_password, staff_user_with_password

LOGIN = "/accounts/login/"


@pytest.fixture
def member(db):
    return partner_user_with_password(email="pat@acme.example")


@pytest.fixture
def editor(db):
    return staff_user_with_password(username="editor", email="editor@vendor.example")


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in(response, to="/") -> bool:
    return response.status_code == 302 and response["Location"] == to
