"""Accounts' own pages beside allauth's: accepting an invitation (``partners.invitations`` does the work).

``accounts/urls.py`` routes ``/accounts/invitations/<token>/`` here; the project's URLconf includes it.
"""

from django import forms
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from partners.invitations import InvitationNotUsable, invitation_accept, invitation_for_token, why_not_usable

from .sso.connections import connection_for_email
from .sso.redirects import sso_redirect

#: The page a new user lands on once signed in.
AFTER_ACCEPT_URL = "/"


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return cleaned


def _accept_through_sso(request, invitation, connection):
    """An address of an SSO domain sets no password: the invitation is answered at the first SSO sign-in."""
    if connection.partner_id != invitation.partner_id:
        message = (
            f"{invitation.email} signs in through {connection.name}, which is not {invitation.partner}'s. "
            "Ask whoever invited you to check the address."
        )
        return render(request, "accounts/invitation_unusable.html", {"message": message}, status=409)
    if request.method == "POST":
        return sso_redirect(request, connection=connection, email=invitation.email, next_url=AFTER_ACCEPT_URL)
    return render(
        request,
        "accounts/invitation_sso.html",
        {"invitation": invitation, "partner": invitation.partner, "connection": connection},
    )


def _unusable(request, problem: InvitationNotUsable):
    # An unknown link is 404; one that existed but is expired, withdrawn or used is gone: 410.
    status = 404 if problem.state is None else 410
    return render(request, "accounts/invitation_unusable.html", {"message": str(problem)}, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """Show the partner and address invited, ask for a name and a password, then sign the new user in."""
    invitation = invitation_for_token(token=token)
    if problem := why_not_usable(invitation):
        return _unusable(request, problem)
    if connection := connection_for_email(invitation.email):
        return _accept_through_sso(request, invitation, connection)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept(
                token=token,
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                request=request,
            )
        except InvitationNotUsable as problem:
            return _unusable(request, problem)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error({"password": "password1"}.get(field, field if field in form.fields else None), messages)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(AFTER_ACCEPT_URL)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "partner": invitation.partner},
    )
