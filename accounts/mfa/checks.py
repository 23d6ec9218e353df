"""``manage.py check --deploy``: a deployment that does not hold users to the MFA policy fails."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def mfa_policy_enforced(app_configs, **kwargs):
    if getattr(settings, "PARTNERHUB_MFA_ENFORCED", True):
        return []
    return [
        Error(
            "PARTNERHUB_MFA_ENFORCED is off: staff who can publish or administer, and users of partners that "
            "require it, can work without a second factor.",
            hint="Remove the override: only the unit tests turn it off.",
            id="accounts.E001",
        )
    ]
