"""The xAPI agent of a hub user: an account on the hub named by the user's id (no e-mail address in the records)."""

from django.conf import settings


def agent_home_page() -> str:
    return getattr(settings, "PARTNERHUB_PUBLIC_URL", "http://localhost:8000").rstrip("/") + "/"


def agent_for_user(user) -> dict:
    """The agent a launch for ``user`` binds its credential to (and the actor of their statements)."""
    return {"objectType": "Agent", "account": {"homePage": agent_home_page(), "name": str(user.pk)}}


def user_id_of(agent: dict) -> int | None:
    """The hub user an agent made by ``agent_for_user`` stands for, or ``None`` for any other agent."""
    account = agent.get("account") or {}
    if account.get("homePage") != agent_home_page() or not str(account.get("name", "")).isdigit():
        return None
    return int(account["name"])
