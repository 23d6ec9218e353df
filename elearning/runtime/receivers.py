"""The runtime's receivers: launches end at once when their learner loses access (``access_revoked``); attempts in
progress move to a newly published version when the editor chose so (``package_version_published``)."""

from core.signals import access_revoked, package_version_published


def _revoke_launches(sender, user_ids=(), **kwargs):
    from ..services.runtime import launches_revoke_for_users

    launches_revoke_for_users(user_ids=user_ids)


def _move_learners(sender, package, version, move_learners=False, **kwargs):
    if move_learners:
        from ..services.runtime import attempts_move_to_version

        attempts_move_to_version(package=package, version=version)


def connect():
    access_revoked.connect(_revoke_launches, dispatch_uid="elearning_revoke_launches")
    package_version_published.connect(_move_learners, dispatch_uid="elearning_move_learners")
