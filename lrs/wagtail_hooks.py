"""Registers the LRS's admin with Wagtail: the "Learning records" menu (statements, LRS clients)."""

from wagtail import hooks

from .admin.viewsets import LearningRecordsViewSetGroup


@hooks.register("register_admin_viewset")
def register_learning_records():
    return LearningRecordsViewSetGroup()
