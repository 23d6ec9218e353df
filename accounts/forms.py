"""Forms of the sign-in pages."""

from django.core.exceptions import ValidationError

from allauth.account.forms import LoginForm as AllauthLoginForm

from .access import NO_ACCESS_MESSAGE, may_be_signed_in


class LoginForm(AllauthLoginForm):
    """allauth's e-mail and password form that also refuses, once the password is right, a user without access.

    Inactive users, members of inactive partners and users past their last day are told so (and why),
    instead of being signed in to find nothing. Staff need no partner.
    """

    def clean(self):
        cleaned_data = super().clean()
        if self.user is not None and not may_be_signed_in(self.user):
            self.user = None
            raise ValidationError(NO_ACCESS_MESSAGE, code="no_access")
        return cleaned_data
