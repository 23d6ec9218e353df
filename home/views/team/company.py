"""My company (``/team/company/``): what co-branded downloads carry, kept by the partner's admins.

The display name and the logo go through ``partners.services.partner_branding_update`` (validated: PNG or JPEG,
2 MB); the logo is shown back through ``/team/company/logo/``, only to the partner's own admins (private file).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.services import partner_branding_update

from .access import team_page
from .forms import CompanyBrandingForm


@require_http_methods(["GET", "POST"])
@team_page
def company(request, partner):
    if request.method == "GET":
        form = CompanyBrandingForm(initial={"display_name": partner.display_name})
        return _page(request, partner, form)
    form = CompanyBrandingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            partner_branding_update(
                partner=partner,
                actor=request.user,
                display_name=form.cleaned_data["display_name"],
                logo=form.cleaned_data["logo"] or None,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(request, _("Your company's co-branding was saved."))
            return redirect("home:team_company")
    messages.error(request, _("Nothing was changed: see below."))
    partner.refresh_from_db()
    return _page(request, partner, form, status=400)


def _page(request, partner, form, status=200):
    context = {"partner": partner, "form": form}
    return TemplateResponse(request, "home/team/company.html", context, status=status)


@team_page
def company_logo(request, partner):
    """The partner's current logo, for its own admins' page only (private storage, never cached elsewhere)."""
    if not partner.logo:
        raise Http404
    try:
        handle = partner.logo.storage.open(partner.logo.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    is_png = handle.read(8) == b"\x89PNG\r\n\x1a\n"  # validated as PNG or JPEG on upload, whatever its name
    handle.seek(0)
    response = FileResponse(handle, content_type="image/png" if is_png else "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
