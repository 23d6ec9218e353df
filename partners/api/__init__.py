"""Partner API routes of partners: who am I."""

from ninja import Router

from ..schemas import MeOut
from ..selectors import membership_for_user

router = Router(tags=["me"])


@router.get("/me", response=MeOut, summary="The calling user, their partner and roles")
def me(request):
    membership = membership_for_user(user=request.auth)
    partner = membership.partner
    return {
        "user": request.auth,
        "partner": {
            "id": partner.pk,
            "key": partner.key,
            "name": partner.name,
            "tier": partner.tier,
            "type": partner.partner_type,
            "region": partner.region,
        },
        "roles": list(membership.roles.all()),
    }
