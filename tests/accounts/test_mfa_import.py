"""The importer's partners section sets a partner's MFA policy ("mfa"); absent, it is left as it is."""

import json

from django.core.management import CommandError, call_command

import pytest

from partners.models import Partner, PartnerMfaPolicy

pytestmark = pytest.mark.django_db

BASE = {
    "tiers": [{"key": "gold", "name": "Gold", "rank": 30}],
    "partner_types": [{"key": "reseller", "name": "Reseller"}],
    "regions": [{"key": "emea", "name": "EMEA"}],
}


def import_partners(tmp_path, *partners):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({**BASE, "partners": list(partners)}))
    call_command("import_content", str(manifest), stdout=open("/dev/null", "w"))  # noqa: SIM115


def acme(**extra):
    return {"key": "acme", "name": "Acme", "tier": "gold", "type": "reseller", "region": "emea", **extra}


def test_a_partner_can_require_mfa_and_an_absent_policy_leaves_it_unchanged(tmp_path):
    import_partners(tmp_path, acme())
    assert Partner.objects.get(key="acme").mfa_policy == PartnerMfaPolicy.OPTIONAL
    import_partners(tmp_path, acme(mfa="required"))
    assert Partner.objects.get(key="acme").mfa_policy == PartnerMfaPolicy.REQUIRED
    import_partners(tmp_path, acme(name="Acme Networks"))
    assert Partner.objects.get(key="acme").mfa_policy == PartnerMfaPolicy.REQUIRED
    import_partners(tmp_path, acme(mfa="optional"))
    assert Partner.objects.get(key="acme").mfa_policy == PartnerMfaPolicy.OPTIONAL


def test_an_unknown_policy_is_refused_naming_the_field_and_nothing_is_written(tmp_path):
    with pytest.raises(CommandError) as refused:
        import_partners(tmp_path, acme(mfa="sometimes"))
    assert "mfa" in str(refused.value)
    assert not Partner.objects.exists()
