"""The "Learning records" menu group: statements and LRS clients."""

from wagtail.admin.viewsets.model import ModelViewSetGroup

from .credentials import ClientCredentialViewSet
from .statements import StatementViewSet


class LearningRecordsViewSetGroup(ModelViewSetGroup):
    menu_label = "Learning records"
    menu_icon = "list-ul"
    menu_order = 215  # just after "Learning" (courses)
    items = (StatementViewSet, ClientCredentialViewSet)
