"""The runtime's receivers: launches end at once when their learner loses access (``core.signals.access_revoked``)."""

from core.signals import access_revoked


def _revoke_launches(sender, user_ids=(), **kwargs):
    from ..services.runtime import launches_revoke_for_users

    launches_revoke_for_users(user_ids=user_ids)


def connect():
    access_revoked.connect(_revoke_launches, dispatch_uid="elearning_revoke_launches")
