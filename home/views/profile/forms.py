"""The Profile page's forms: what each section posts. Validation that matters is the services' (they check again)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from accounts.preferences import EMAIL_PREFERENCES
from accounts.profile import NAME_MAX_LENGTH

TOKEN_NAME_MAX_LENGTH = 255
TOKEN_LIFETIMES = (30, 90, 180, 365)  # days; the longest is capped by PARTNERHUB_TOKEN_MAX_DAYS


class ProfileForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # "First name", not "First name:"
        super().__init__(*args, **kwargs)


class NameForm(ProfileForm):
    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX_LENGTH, required=False)


def language_choices() -> list[tuple[str, str]]:
    """Each of the hub's languages in its own words and in the page's: "Deutsch (German)"."""
    choices = [("", _("The language of my browser"))]
    for code, name in settings.LANGUAGES:
        try:
            local = get_language_info(code)["name_local"]
        except KeyError:
            local = name
        translated = gettext(name)  # Django's catalogue names most languages
        label = f"{local} — {translated}" if local.casefold() != translated.casefold() else local
        choices.append((code, label))
    return choices


class LanguageForm(ProfileForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("The language of these pages, and of assets that come in several languages."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()


class NotificationsForm(ProfileForm):
    """One check box per kind of e-mail a user may turn off (``accounts.preferences.EMAIL_PREFERENCES``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for preference in EMAIL_PREFERENCES:
            self.fields[preference.field] = forms.BooleanField(
                label=preference.label, help_text=preference.help_text, required=False
            )


def token_lifetime_choices() -> list[tuple[int, str]]:
    longest = settings.PARTNERHUB_TOKEN_MAX_DAYS
    default = min(settings.PARTNERHUB_TOKEN_DEFAULT_DAYS, longest)
    days = sorted({d for d in TOKEN_LIFETIMES if d <= longest} | {default})
    return [(d, _("%(days)s days") % {"days": d}) for d in days]


class TokenForm(ProfileForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=_("What will use it, e.g. “CRM sync”."),
    )
    expires_in_days = forms.TypedChoiceField(label=_("Works for"), coerce=int)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"expires_in_days": settings.PARTNERHUB_TOKEN_DEFAULT_DAYS})
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].choices = token_lifetime_choices()
