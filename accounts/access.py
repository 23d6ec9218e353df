"""Who may be signed in: staff, and partner users who may see partner content right now."""

from partners.audience import viewer_for

#: What a partner user who lost access reads at sign-in (only after their password was right).
NO_ACCESS_MESSAGE = (
    "Your account has no access to Partner Hub at the moment: it may have been deactivated, your company's "
    "partnership may be inactive, or your last day there has passed. Your company's partner administrator "
    "or your channel manager can restore it."
)

#: What a user signed out because they lost access reads on their next page.
SIGNED_OUT_MESSAGE = "You were signed out: your account no longer has access to Partner Hub."


def is_staff_user(user) -> bool:
    """Staff: the vendor's people, who work in the Wagtail admin (and need no partner)."""
    return user.is_active and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def may_be_signed_in(user) -> bool:
    """Active staff, or a partner user who may see partner content (``viewer_for``) today."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or viewer_for(user) is not None or is_staff_user(user)
