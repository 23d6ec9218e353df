"""Items locked by a qualification: known to exist, never opened (``partners.qualifications``).

Which items a user "may know exist": those they pass every other condition of the audience rule
for (active user and partner, tier, partner type, region, role, live) and that require a
certification they (or their partner) lack. Such an item is

* named, with what unlocks it, by ``GET /api/v1/locked`` and the portal's "Locked for you" lists;
* answered **403** with ``locked_reason`` and ``unlock`` by its own detail, download and actions
  (acknowledge, enrol) in the API, and by its page in the portal;
* absent from lists, counts, search, suggestions, highlights and the feed, like any item the
  user may not see (nothing of its body, file or text is served).

Everything else a user may not see stays a 404 and is never named: an item outside their tier,
type, region or role is not "locked", it does not exist for them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.qualifications import unlock_hints_for
from partners.audience import viewer_for, viewer_qualifications
from partners.qualifications import HeldBy


class ItemLocked(Exception):
    """Raised where an item is refused only for a qualification; the API answers 403, the portal a locked page."""

    def __init__(self, *, item, unlock: dict):
        super().__init__(unlock["message"])
        self.item = item
        self.unlock = unlock


def locked_for(model, user):
    """The live items of ``model`` locked for ``user`` (in the audience apart from the qualification)."""
    viewer = viewer_for(user)
    if viewer is None or not hasattr(model, "locked_q"):
        return model.objects.none()
    return model.objects.filter(model.live_q()).filter(model.locked_q(viewer))


def locked_item(model, *, user, pk: int):
    """The item ``pk`` of ``model`` when it is locked for ``user``, else ``None`` (visible, or unknown to them)."""
    return locked_for(model, user).filter(pk=pk).only("pk", "title", *_REQUIREMENT).first()


def raise_if_locked(model, *, user, pk: int) -> None:
    """Raise ``ItemLocked`` when ``pk`` is locked for ``user``; call it where the answer would be 404."""
    item = locked_item(model, user=user, pk=pk)
    if item is not None:
        raise ItemLocked(item=item, unlock=unlock_payloads(user=user, items=[item])[0])


_REQUIREMENT = ("required_qualification_id", "required_qualification_mode", "required_holders")


def unlock_payloads(*, user, items) -> list[dict]:
    """What unlocks each of ``items`` (all locked for ``user``), in their order: a fixed number of queries.

    A list, not a map by id: ``items`` may be of several kinds, and an asset and a bulletin can share an id.

    ``certification`` and ``courses`` name only what the user may see (``core.qualifications``);
    ``holders_needed`` / ``holders_now`` count active users of their partner in partner mode.
    """
    items = list(items)
    qualifications = viewer_qualifications(viewer_for(user))
    hints = unlock_hints_for(user=user, qualification_ids={item.required_qualification_id for item in items})
    payloads = []
    for item in items:
        hint = hints.get(item.required_qualification_id, {})
        certification = hint.get("certification")
        partner_mode = item.required_qualification_mode == HeldBy.PARTNER
        payload = {
            "reason": "qualification",
            "certification": certification,
            "courses": hint.get("courses", []),
            "held_by": item.required_qualification_mode,
            "held_by_you": item.required_qualification_id in qualifications.held,
            "holders_needed": item.required_holders if partner_mode else 1,
            "holders_now": qualifications.holders(item.required_qualification_id) if partner_mode else None,
        }
        payload["message"] = unlock_message(payload)
        payloads.append(payload)
    return payloads


def unlock_message(payload: dict) -> str:
    """One sentence for people: which certification, and who must hold it (portal and API ``detail``)."""
    name = payload["certification"]["title"] if payload["certification"] else None
    what = _("Requires the certification “%(name)s”") % {"name": name} if name else _("Requires a certification")
    if payload["held_by"] == HeldBy.PARTNER:
        return ngettext(
            "%(what)s, held by at least %(needed)d active user of your company (%(now)d do now).",
            "%(what)s, held by at least %(needed)d active users of your company (%(now)d do now).",
            payload["holders_needed"],
        ) % {"what": what, "needed": payload["holders_needed"], "now": payload["holders_now"]}
    return _("%(what)s, held by you.") % {"what": what}
