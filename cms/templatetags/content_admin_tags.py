"""Template tags of the content admin."""

from django import template
from django.apps import apps
from django.urls import reverse

from wagtail.admin.templatetags.wagtailadmin_tags import bulk_action_choices
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets import ButtonWithDropdown
from wagtail.permissions import policy_registry

from cms.models import Asset

register = template.Library()


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def permitted_bulk_action_choices(context, app_label, model_name):
    """Wagtail's bulk action buttons, less those the user may not use (an action's ``is_shown_to``)."""
    user = context["request"].user
    model = apps.get_model(app_label, model_name)
    hidden = {
        reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
        if hasattr(action, "is_shown_to") and not action.is_shown_to(user, model)
    }
    choices = bulk_action_choices(context, app_label, model_name)
    buttons = []
    for button in choices["buttons"]:
        if isinstance(button, ButtonWithDropdown):
            button.dropdown_buttons = [b for b in button.dropdown_buttons if b.url not in hidden]
            if not button.dropdown_buttons:
                continue
        elif button.url in hidden:
            continue
        buttons.append(button)
    return {**choices, "buttons": buttons}


@register.simple_tag(takes_context=True)
def asset_search_url(context) -> str:
    """Where the dashboard's search box sends an editor: the asset listing's search; "" when they may not see it."""
    user = context["request"].user
    if not policy_registry.get_by_type(Asset).user_has_any_permission(user, ["change", "publish"]):
        return ""
    return reverse(Asset.snippet_viewset.get_url_name("list"))
