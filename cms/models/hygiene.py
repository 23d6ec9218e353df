"""The library's hygiene: what the scheduled link checker last found for each asset with an external URL.

Kept apart from ``Asset`` (a revisioned snippet): a check is a fact about the world, not
content, so no draft, revision or publish may bring an old result back.
"""

from django.db import models

from .content import Asset


class LinkCheck(models.Model):
    """The last check of an asset's external URL (a link, or a video hosted elsewhere).

    ``url`` is the URL that was checked: when an editor changes the asset's URL the result
    is stale (readers compare it with ``Asset.external_url``) and the URL is checked again
    on the next run. ``broken_since`` is the first failed check of the current failing run,
    cleared by the first check that answers again.
    """

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="link_check")
    url = models.CharField(max_length=500, help_text="The URL checked (the asset's at the time).")
    checked_at = models.DateTimeField(db_index=True)
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The HTTP status of the last answer (after redirects), if any."
    )
    error = models.CharField(max_length=255, blank=True, help_text="Why the check failed; empty when it answered.")
    final_url = models.CharField(max_length=2000, blank=True, help_text="Where redirects led, if elsewhere.")
    is_broken = models.BooleanField(default=False)
    broken_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Failed checks in a row.")
    last_ok_at = models.DateTimeField(null=True, blank=True, help_text="When the URL last answered.")

    class Meta:
        indexes = [models.Index(fields=["is_broken", "broken_since"], name="link_check_broken_idx")]

    def __str__(self):
        return f"{self.url}: {'broken' if self.is_broken else 'ok'} at {self.checked_at:%Y-%m-%d %H:%M}"
