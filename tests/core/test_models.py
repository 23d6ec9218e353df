"""``core.models``: the keyed upsert and ``model_update`` write only what differs, validated first."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import keyed_upsert, model_update
from partners.factories import PartnerFactory, TierFactory
from partners.models import Partner, Tier

pytestmark = pytest.mark.django_db


def updates(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_model_update_saves_only_the_fields_that_differ_and_its_updated_at():
    partner = PartnerFactory(name="Acme")
    before = partner.updated_at
    with CaptureQueriesContext(connection) as queries:
        partner, updated = model_update(
            instance=partner, fields=["name", "tier", "is_active"], data={"name": "Acme Ltd", "tier": partner.tier}
        )
    assert updated
    [sql] = updates(queries)
    assert '"name"' in sql and '"updated_at"' in sql and '"tier_id"' not in sql and '"is_active"' not in sql
    partner.refresh_from_db()
    assert partner.name == "Acme Ltd" and partner.updated_at > before


def test_model_update_writes_nothing_when_nothing_differs_relations_compared_by_id():
    partner = PartnerFactory()
    same_tier = Tier.objects.get(pk=partner.tier_id)
    with CaptureQueriesContext(connection) as queries:
        _partner, updated = model_update(
            instance=partner, fields=["name", "tier"], data={"name": partner.name, "tier": same_tier}
        )
    assert not updated
    assert queries.captured_queries == []


def test_model_update_validates_before_saving():
    partner = PartnerFactory(name="Acme")
    with pytest.raises(ValidationError):
        model_update(instance=partner, fields=["name"], data={"name": ""})
    assert Partner.objects.get(pk=partner.pk).name == "Acme"


def test_keyed_upsert_creates_then_updates_then_finds_nothing_to_change():
    assert keyed_upsert(Tier, key="gold", name="Gold", rank=30)[1:] == (True, True)
    tier, created, changed = keyed_upsert(Tier, key="gold", name="Gold tier", rank=30)
    assert (created, changed, tier.name) == (False, True, "Gold tier")
    assert keyed_upsert(Tier, key="gold", name="Gold tier", rank=30)[1:] == (False, False)
    TierFactory(key="silver", rank=20)
    with pytest.raises(ValidationError):
        keyed_upsert(Tier, key="gold", name="Gold", rank=20)  # full_clean: the rank is taken
