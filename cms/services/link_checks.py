"""Writes of the link checker: one check's result recorded per asset, and a polite run over the links due.

A run (beat's ``cms.tasks.check_links`` and ``manage.py check_links``) takes the links due,
the stalest first, at most ``LINK_CHECK_MAX_PER_RUN`` of them, and interleaves their hosts
so that the per-host pause (``LINK_CHECK_HOST_INTERVAL``) costs as little waiting as it can;
it starts no check after ``LINK_CHECK_MAX_SECONDS``, and only one run goes at a time (a
cache lock). Each result is saved as soon as it is known, so a run cut short keeps what it
found and the next one carries on with what is left.
"""

import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cms.hygiene.probe import AddressGuard, HostPacer, Outcome, Prober, ProbeResult, url_host
from cms.hygiene.selectors import links_due
from cms.models import LinkCheck

RUN_LOCK = "cms:link-check-run"


class LinkCheckBusy(Exception):
    """Another run of the link checker is going on."""


@dataclass
class LinkCheckRun:
    checked: int = 0
    ok: int = 0
    broken: int = 0
    inconclusive: int = 0
    left: int = 0  # due, but left for the next run (the cap or the time budget)
    seconds: float = 0.0

    def __str__(self):
        return (
            f"{self.checked} checked: {self.ok} ok, {self.broken} broken, {self.inconclusive} inconclusive; "
            f"{self.left} left for the next run ({self.seconds:.1f}s)"
        )


@transaction.atomic
def link_check_record(*, asset_id: int, url: str, result: ProbeResult, now=None) -> LinkCheck:
    """Record ``result`` as the last check of the asset's ``url``.

    Broken: ``broken_since`` is kept from the first failure of the run of failures (or set
    now) and ``failures`` counts them; answering again clears both. An inconclusive answer
    (429) is recorded but changes neither. A check of another URL than the last one starts
    afresh.
    """
    now = now or timezone.now()
    check = LinkCheck.objects.select_for_update().filter(asset_id=asset_id).first()
    if check is None:
        check = LinkCheck(asset_id=asset_id)
    elif check.url != url:  # the editor changed the URL: what was found of the old one is no more
        check.is_broken, check.broken_since, check.failures, check.last_ok_at = False, None, 0, None
    check.url = url
    check.checked_at = now
    check.status_code = result.status_code
    check.error = result.error[:255]
    check.final_url = result.final_url[:2000]
    if result.outcome == Outcome.OK:
        check.is_broken, check.broken_since, check.failures, check.last_ok_at = False, None, 0, now
    elif result.outcome == Outcome.BROKEN:
        check.is_broken = True
        check.broken_since = check.broken_since or now
        check.failures += 1
    check.full_clean(validate_unique=False)  # one check per asset: its primary key
    check.save()
    return check


def default_prober() -> Prober:
    return Prober(
        user_agent=settings.LINK_CHECK_USER_AGENT,
        timeout=settings.LINK_CHECK_TIMEOUT,
        max_redirects=settings.LINK_CHECK_MAX_REDIRECTS,
        guard=AddressGuard(
            block_private=settings.LINK_CHECK_BLOCK_PRIVATE_ADDRESSES,
            allowed_hosts=tuple(settings.LINK_CHECK_ALLOWED_HOSTS),
        ),
        pacer=HostPacer(interval=settings.LINK_CHECK_HOST_INTERVAL),
    )


def interleaved(links, pacer: HostPacer):
    """``links`` (``(pk, url)``, stalest first) in the order the pace allows soonest: each time, the next link of
    the host that may be asked first (ties: the stalest link)."""
    queues: OrderedDict[str, deque] = OrderedDict()
    for pk, url in links:
        queues.setdefault(url_host(url), deque()).append((pk, url))
    while queues:
        host = min(queues, key=pacer.ready_at)  # min keeps the first of equals: staleness order
        yield queues[host].popleft()
        if not queues[host]:
            del queues[host]


def link_checks_run(
    *,
    asset_ids=None,
    host: str | None = None,
    force: bool = False,
    limit: int | None = None,
    max_seconds: float | None = None,
    prober: Prober | None = None,
    progress: Callable[[int], object] | None = None,
    on_start: Callable[[int], object] | None = None,
) -> LinkCheckRun:
    """Check the links due (or those of ``asset_ids`` / ``host``; ``force``: due or not) and record each result.

    ``limit`` defaults to ``LINK_CHECK_MAX_PER_RUN`` and ``max_seconds`` to
    ``LINK_CHECK_MAX_SECONDS``; ``on_start(total)`` is told how many will be checked and
    ``progress(1)`` after each. Raises ``LinkCheckBusy`` while another run goes on.
    """
    limit = settings.LINK_CHECK_MAX_PER_RUN if limit is None else limit
    max_seconds = settings.LINK_CHECK_MAX_SECONDS if max_seconds is None else max_seconds
    prober = prober or default_prober()
    token = uuid.uuid4().hex
    lock_seconds = int(max_seconds + prober.timeout * (prober.max_redirects + 2) * 2) + 60
    if not cache.add(RUN_LOCK, token, timeout=lock_seconds):
        raise LinkCheckBusy("Another link check run is going on.")
    started = time.monotonic()
    run = LinkCheckRun()
    try:
        due = links_due(
            now=timezone.now(),
            interval_hours=settings.LINK_CHECK_INTERVAL_HOURS,
            asset_ids=asset_ids,
            host=host,
            force=force,
        )
        picked = due[: max(limit, 0)]
        run.left = len(due) - len(picked)
        if on_start:
            on_start(len(picked))
        for position, (pk, url) in enumerate(interleaved(picked, prober.pacer)):
            if time.monotonic() - started >= max_seconds:
                run.left += len(picked) - position
                break
            result = prober.check(url)
            try:
                link_check_record(asset_id=pk, url=url, result=result)
            except ValidationError:  # the asset was deleted meanwhile
                continue
            run.checked += 1
            setattr(run, result.outcome, getattr(run, result.outcome) + 1)
            if progress:
                progress(1)
    finally:
        if cache.get(RUN_LOCK) == token:
            cache.delete(RUN_LOCK)
        run.seconds = time.monotonic() - started
    return run
