"""The LRS's resources, included at ``/xapi/`` by ``cms.urls`` (before Wagtail's page serving)."""

from django.urls import path

from .views.about import about
from .views.agents import activities, agents
from .views.profiles import activity_profile, agent_profile
from .views.state import state
from .views.statements import statements

app_name = "lrs"

urlpatterns = [
    path("about", about, name="about"),
    path("statements", statements, name="statements"),
    path("activities/state", state, name="state"),
    path("activities/profile", activity_profile, name="activity-profile"),
    path("activities", activities, name="activities"),
    path("agents/profile", agent_profile, name="agent-profile"),
    path("agents", agents, name="agents"),
]
