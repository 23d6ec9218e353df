"""``/team/compliance/``: the partner against its tier's certification requirements (and the other tiers'), and
the 30/60/90-day forecast drawn as inline SVG charts, each with a table of the same numbers."""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .access import team_page
from .chart import forecast_chart, moments
from .reads import compliance_of


@require_GET
@team_page
def compliance(request, partner):
    now = timezone.now()
    tiers = compliance_of(partner=partner, viewer=request.user, now=now)
    for t, tier in enumerate(tiers):
        for r, requirement in enumerate(tier["requirements"]):
            requirement["chart"] = forecast_chart(
                uid=f"forecast-{t}-{r}",
                required=requirement["required"],
                today=requirement["holders"],
                forecast=requirement["forecast"],
            )
    return TemplateResponse(
        request,
        "home/team/compliance.html",
        {
            "partner": partner,
            "tiers": tiers,
            "my_tier": next((tier for tier in tiers if tier["is_my_tier"]), None),
            "moments": [label for _key, label in moments()],
            "now": now,
        },
    )
