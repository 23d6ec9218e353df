"""The registry of unlock hints: what a lower app says about a qualification that an item requires.

Gated content (cms, courses) may require a ``partners.Qualification``, but only the app that
keeps a qualification knows what it is and how it is earned. That app (certifications) registers
one function from its ``AppConfig.ready()``::

    register_unlock_hints(hints)  # hints(*, user, qualification_ids) -> {id: {"name": ..., ...}}

and the API and the portal ask ``unlock_hints_for(user=..., qualification_ids=...)``. A hint names
only what the user may see (a certification and courses outside their audience are not named).
"""

from collections.abc import Callable, Iterable

UnlockHints = Callable[..., dict[int, dict]]

_providers: list[UnlockHints] = []


def register_unlock_hints(provider: UnlockHints) -> None:
    """``provider(user=..., qualification_ids=...)`` answers a hint per qualification id it knows."""
    if provider not in _providers:
        _providers.append(provider)


def unlock_hints_for(*, user, qualification_ids: Iterable[int]) -> dict[int, dict]:
    """Every registered provider's hints for ``qualification_ids`` (ids nobody knows are left out)."""
    ids = sorted(set(qualification_ids))
    hints: dict[int, dict] = {}
    if not ids:
        return hints
    for provider in _providers:
        hints.update(provider(user=user, qualification_ids=ids))
    return hints
