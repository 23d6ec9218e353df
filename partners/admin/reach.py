"""The audience tab's live count: how many partners and partner users the audience chosen so far reaches.

``GET /admin/partners/audience-reach/?min_tier=…&partner_types=…&regions=…&roles=…`` (the form's own field
names and values) answers a small HTML fragment, which ``partners/static/partners/admin/audience_reach.js``
puts under the audience fields each time the editor changes one.

Only staff who may set an audience may ask (``may_set_audiences``); anyone else gets 403 and no counts.
"""

from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.http import require_GET

from modelcluster.fields import ParentalKey
from wagtail.permissions import policy_registry

from ..audience import gated_models
from ..selectors import audience_reach, tier_named


def _edited_with(model):
    """The model whose editor holds ``model``'s audience: the parent of an inline (a home banner is
    edited with its page), otherwise the model itself."""
    for field in model._meta.get_fields():
        if isinstance(field, ParentalKey):
            return field.related_model
    return model


def may_set_audiences(user) -> bool:
    """Whether ``user`` may add or change some item that has an audience (``gated_models``: assets,
    programs, bulletins, courses, certifications, and so on), each under its own permission policy."""
    return any(
        policy_registry.get_by_type(_edited_with(model)).user_has_any_permission(user, ["add", "change"])
        for model in gated_models()
    )


def _ids(request, name: str) -> list[int]:
    return [int(value) for value in request.GET.getlist(name) if value.isdigit()]


@require_GET
def audience_reach_view(request):
    if not may_set_audiences(request.user):
        # A plain 403, not Wagtail's redirect to the dashboard: the script would put that page in the panel.
        return HttpResponseForbidden()
    min_tier = request.GET.get("min_tier", "")
    reach = audience_reach(
        min_tier=tier_named(int(min_tier)) if min_tier.isdigit() else None,
        partner_type_ids=_ids(request, "partner_types"),
        region_ids=_ids(request, "regions"),
        role_ids=_ids(request, "roles"),
    )
    return render(request, "partners/admin/audience_reach.html", {"reach": reach})
