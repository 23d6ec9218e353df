"""Lock-out from Wagtail's own user editor and its "set active state" bulk action (registered by
``partners.wagtail_hooks``): a partner user deactivated there loses their sessions at once, through the
same service as every other way of deactivating them."""

from django.contrib.auth import get_user_model

from partners.services import partner_user_access_changed

WAS_ACTIVE = "_partnerhub_was_active"


def remember_whether_the_user_was_active(request, user):
    was_active = get_user_model().objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    setattr(request, WAS_ACTIVE, was_active)


def end_access_of_a_deactivated_partner_user(request, user):
    if hasattr(request, WAS_ACTIVE):
        was_active = getattr(request, WAS_ACTIVE)
        partner_user_access_changed(user=user, was_active=was_active, actor=request.user, request=request)


def end_access_of_partner_users_deactivated_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "set_active_state":
        return
    for user in objects:
        was_active = user.is_active  # as loaded before the bulk update
        user.refresh_from_db(fields=["is_active"])
        partner_user_access_changed(user=user, was_active=was_active, actor=request.user, request=request)
