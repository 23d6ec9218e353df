"""The forms of "My team": inviting a colleague, choosing a member's roles, finding members."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.models import Role


def role_choices():
    return Role.objects.order_by("name")


class ServiceForm(forms.Form):
    """A form whose data a service checks again: ``refused`` shows what the service refused."""

    def refused(self, error: ValidationError) -> None:
        """Show a service's refusal on the form (by field where it names one)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class InvitationForm(ServiceForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=role_choices(), required=False, widget=forms.CheckboxSelectMultiple
    )


class RolesForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=role_choices(), required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MemberFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("Everyone")), ("active", _("Active")), ("deactivated", _("Deactivated"))]

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)


class CompanyBrandingForm(ServiceForm):
    """What co-branded downloads carry: the name and the logo (checked again by the partner's model)."""

    display_name = forms.CharField(
        label=_("Name on co-branded downloads"),
        max_length=120,
        required=False,
        help_text=_("Your company's name as it should appear; your registered name when empty."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 2 MB. A logo on a white or transparent background prints best."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
