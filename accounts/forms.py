"""Forms of the sign-in pages.

The sign-in form is identifier first: an address of a domain that a single sign-on connection
owns goes straight to that organisation's identity provider (no password asked, none accepted);
any other address signs in with its password.
"""

from django import forms
from django.core.exceptions import ValidationError

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm

from .access import NO_ACCESS_MESSAGE, may_be_signed_in
from .sso.connections import connection_for_email
from .sso.redirects import sso_redirect

PASSWORD_REQUIRED_MESSAGE = "Enter your password."  # noqa: S105 - an error message


def sso_only_message(connection) -> str:
    return (
        f"Addresses of this domain sign in through {connection.name}, your organisation's identity provider: "
        "its password is not one Partner Hub keeps or resets. Sign in with your e-mail address alone."
    )


class LoginForm(AllauthLoginForm):
    """allauth's e-mail and password form, identifier first, that also refuses a user without access.

    Inactive users, members of inactive partners and users past their last day are told so (and why)
    once the password is right, instead of being signed in to find nothing. Staff need no partner.
    """

    sso_connection = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An address of an SSO domain needs no password: the browser must not insist on one either.
        self.fields["password"].required = False

    def clean(self):
        if self._errors:
            return self.cleaned_data
        self.sso_connection = connection_for_email(self.cleaned_data.get("login", ""))
        if self.sso_connection is not None:
            return self.cleaned_data  # its IdP decides; a password given here is never checked
        if not self.cleaned_data.get("password"):
            # Without a password allauth would send a sign-in code: not a way in here.
            self.add_error("password", forms.ValidationError(PASSWORD_REQUIRED_MESSAGE, code="required"))
            return self.cleaned_data
        cleaned_data = super().clean()
        if self.user is not None and not may_be_signed_in(self.user):
            self.user = None
            raise ValidationError(NO_ACCESS_MESSAGE, code="no_access")
        return cleaned_data

    def login(self, request, redirect_url=None):
        if self.sso_connection is not None:
            return sso_redirect(
                request, connection=self.sso_connection, email=self.cleaned_data["login"], next_url=redirect_url
            )
        return super().login(request, redirect_url=redirect_url)


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's password reset, refused for an address whose organisation's identity provider signs it in."""

    def clean_email(self):
        email = super().clean_email()
        connection = connection_for_email(email)
        if connection is not None:
            raise ValidationError(sso_only_message(connection), code="sso_domain")
        return email
