"""The audience tab's live count: how many partners and partner users the audience chosen so far reaches.

``GET /admin/partners/audience-reach/?min_tier=…&partner_types=…&regions=…&roles=…`` (the form's own field
names and values) answers a small HTML fragment, which ``partners/static/partners/admin/audience_reach.js``
puts under the audience fields each time the editor changes one.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors import audience_reach, tier_named


def _ids(request, name: str) -> list[int]:
    return [int(value) for value in request.GET.getlist(name) if value.isdigit()]


@require_GET
def audience_reach_view(request):
    min_tier = request.GET.get("min_tier", "")
    reach = audience_reach(
        min_tier=tier_named(int(min_tier)) if min_tier.isdigit() else None,
        partner_type_ids=_ids(request, "partner_types"),
        region_ids=_ids(request, "regions"),
        role_ids=_ids(request, "roles"),
    )
    return render(request, "partners/admin/audience_reach.html", {"reach": reach})
