"""The Profile page (``/profile/``): name, language, e-mails, second factor, personal API tokens, sessions.

Every section posts to its own URL and writes through the owning app's services: ``accounts.profile`` (name,
other sessions), ``accounts.preferences`` (language, e-mails) and ``partners.tokens`` (the same services as
``/api/v1/auth/tokens``). A success redirects back with a message; bad input answers 400 with the page and the
form's errors, nothing changed. A new token's secret is in the answer to its creation only: never stored, never
put in the session or a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.preferences import EMAIL_PREFERENCES, preferences_of, preferences_update
from accounts.profile import (
    other_sessions_count,
    profile_name_update,
    second_factor_of,
    sessions_end_others,
    sso_connection_of,
)
from partners.tokens import personal_token_create, personal_token_revoke, token_expires_at, tokens_of

from ...access import portal_page
from .forms import LanguageForm, NameForm, NotificationsForm, TokenForm

TEMPLATE = "home/profile/page.html"


def page(request, *, status: int = 200, **forms) -> TemplateResponse:
    """The whole page; ``forms`` replace the fresh ones (a form with its errors, a token just created)."""
    user = request.user
    preferences = preferences_of(user)
    context = {
        "sso": sso_connection_of(user),
        "second_factor": second_factor_of(user),
        "tokens": [{"token": token, "expires_at": token_expires_at(token)} for token in tokens_of(user=user)],
        "other_sessions": other_sessions_count(user=user, session_key=request.session.session_key),
        "name_form": NameForm(initial={"first_name": user.first_name, "last_name": user.last_name}),
        "language_form": LanguageForm(initial={"language": preferences.language}),
        "notifications_form": NotificationsForm(
            initial={preference.field: getattr(preferences, preference.field) for preference in EMAIL_PREFERENCES}
        ),
        "token_form": TokenForm(),
        **forms,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def field_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def saved(form, save) -> tuple[bool, object]:
    """``(True, save(cleaned_data))`` for a valid ``form``; else ``(False, None)``, a service's refusal on the form."""
    if form.is_valid():
        try:
            return True, save(form.cleaned_data)
        except ValidationError as error:
            field_errors(form, error)
    return False, None


@require_GET
@portal_page
def profile(request):
    return page(request)


@require_POST
@portal_page
def profile_name(request):
    form = NameForm(request.POST)
    ok, _user = saved(form, lambda data: profile_name_update(user=request.user, **data))
    if not ok:
        return page(request, status=400, name_form=form)
    messages.success(request, _("Your name is saved."))
    return redirect("home:profile")


@require_POST
@portal_page
def profile_language(request):
    form = LanguageForm(request.POST)
    ok, _preferences = saved(
        form, lambda data: preferences_update(user=request.user, request=request, language=data["language"])
    )
    if not ok:
        return page(request, status=400, language_form=form)
    chosen = form.cleaned_data["language"] or translation.get_language_from_request(request)
    with translation.override(chosen):  # said in the language it will be read in, on the next page
        messages.success(request, _("Your language is saved."))
    return redirect("home:profile")


@require_POST
@portal_page
def profile_notifications(request):
    form = NotificationsForm(request.POST)
    if not form.is_valid():
        return page(request, status=400, notifications_form=form)
    preferences_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your e-mail preferences are saved."))
    return redirect("home:profile")


@require_POST
@portal_page
def token_create(request):
    """Create a personal API token and show its secret in this answer only."""
    form = TokenForm(request.POST)
    ok, created = saved(
        form,
        lambda data: personal_token_create(
            user=request.user, name=data["name"], expires_in_days=data["expires_in_days"], request=request
        ),
    )
    if not ok:
        return page(request, status=400, token_form=form)
    token, secret = created
    response = page(request, status=201, created_token=token, created_secret=secret)
    response["Cache-Control"] = "no-store"  # the secret is in it
    return response


@require_POST
@portal_page
def token_revoke(request, token_id: int):
    """Revoke one of my tokens; someone else's (or one already revoked or expired) is 404."""
    token = tokens_of(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token of yours.")
    personal_token_revoke(token=token, request=request)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("home:profile")


@require_POST
@portal_page
def sign_out_elsewhere(request):
    """Sign out everywhere else: every other session of mine ends now; this one stays."""
    ended = sessions_end_others(request=request, user=request.user)
    if ended:
        message = ngettext(
            "You are signed out on %(count)d other device or browser.",
            "You are signed out on %(count)d other devices or browsers.",
            ended,
        ) % {"count": ended}
    else:
        message = _("You were not signed in anywhere else.")
    messages.success(request, message)
    return redirect("home:profile")
