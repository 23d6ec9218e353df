"""``manage.py import_content``: idempotent on key, validated whole, all or nothing."""

import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

from partners.models import Partner, PartnerMembership, PartnerType, Region, Tier

pytestmark = pytest.mark.django_db

MANIFEST = {
    "tiers": [{"key": "silver", "name": "Silver", "rank": 20}, {"key": "gold", "name": "Gold", "rank": 30}],
    "partner_types": [{"key": "reseller", "name": "Reseller"}],
    "regions": [{"key": "emea", "name": "EMEA"}],
    "partners": [
        {"key": "acme", "name": "Acme", "tier": "gold", "type": "reseller", "region": "emea", "active": True},
        {"key": "globex", "name": "Globex", "tier": "silver", "type": "reseller", "region": "emea"},
    ],
    "users": [
        {"key": "ann", "email": "ann@acme.test", "partner": "acme", "roles": ["marketing"], "active": True},
        {"key": "bob", "email": "Bob@Globex.test", "partner": "globex", "roles": [], "active": False},
    ],
}


def run_import(tmp_path, manifest, *args):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest) if not isinstance(manifest, str) else manifest)
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot():
    return {
        "tiers": sorted(Tier.objects.values_list("key", "name", "rank")),
        "partners": sorted(Partner.objects.values_list("key", "name", "tier__key", "is_active", "updated_at")),
        "users": sorted(get_user_model().objects.values_list("username", "email", "is_active")),
        "memberships": sorted(PartnerMembership.objects.values_list("user__username", "partner__key", "roles__key")),
    }


def test_import_creates_everything_with_a_summary(tmp_path):
    out = run_import(tmp_path, MANIFEST)
    assert "tiers: 2 created, 0 updated, 0 unchanged" in out
    assert "users: 2 created, 0 updated, 0 unchanged" in out
    acme = Partner.objects.get(key="acme")
    assert (acme.tier.key, acme.partner_type.key, acme.region.key, acme.is_active) == (
        "gold",
        "reseller",
        "emea",
        True,
    )
    ann = get_user_model().objects.get(username="ann")
    assert ann.partner_membership.partner == acme
    assert [r.key for r in ann.partner_membership.roles.all()] == ["marketing"]
    assert not ann.has_usable_password()
    bob = get_user_model().objects.get(username="bob")
    assert bob.email == "bob@globex.test"
    assert not bob.is_active


def test_importing_twice_changes_nothing_the_second_time(tmp_path):
    run_import(tmp_path, MANIFEST)
    before = snapshot()
    out = run_import(tmp_path, MANIFEST)
    assert snapshot() == before
    assert "partners: 0 created, 0 updated, 2 unchanged" in out
    assert "users: 0 created, 0 updated, 2 unchanged" in out


def test_reimport_updates_by_key_and_never_duplicates(tmp_path):
    run_import(tmp_path, MANIFEST)
    changed = json.loads(json.dumps(MANIFEST))
    changed["partners"][1]["tier"] = "gold"
    changed["partners"][1]["active"] = False
    changed["users"][0]["roles"] = ["sales", "technical"]
    out = run_import(tmp_path, changed)
    assert "partners: 0 created, 1 updated, 1 unchanged" in out
    assert "users: 0 created, 1 updated, 1 unchanged" in out
    assert Partner.objects.count() == 2
    globex = Partner.objects.get(key="globex")
    assert (globex.tier.key, globex.is_active) == ("gold", False)
    roles = get_user_model().objects.get(username="ann").partner_membership.roles.values_list("key", flat=True)
    assert sorted(roles) == ["sales", "technical"]


def assert_rejected(tmp_path, manifest, *expected_fragments):
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        run_import(tmp_path, manifest)
    message = str(excinfo.value)
    for fragment in expected_fragments:
        assert fragment in message, message
    assert snapshot() == before
    return message


def test_one_bad_entry_writes_nothing_and_names_entry_and_field(tmp_path):
    bad = json.loads(json.dumps(MANIFEST))
    bad["users"][1]["email"] = "not-an-email"
    message = assert_rejected(tmp_path, bad, "users[1] (key 'bob'): email:", "not a valid e-mail address")
    assert "nothing was imported" in message
    assert not Tier.objects.exists()


def test_unknown_reference_is_named_with_the_known_keys(tmp_path):
    bad = json.loads(json.dumps(MANIFEST))
    bad["partners"][0]["tier"] = "golden"
    assert_rejected(tmp_path, bad, "partners[0] (key 'acme'): tier: unknown tier 'golden'", "known: gold, silver")


def test_unknown_role_is_refused(tmp_path):
    bad = json.loads(json.dumps(MANIFEST))
    bad["users"][0]["roles"] = ["marketing", "wizard"]
    assert_rejected(tmp_path, bad, "users[0] (key 'ann'): roles: unknown role 'wizard'")


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda m: m["tiers"][0].update(rank=-5), "tiers[0] (key 'silver'): rank:"),
        (lambda m: m["tiers"][0].pop("name"), "tiers[0] (key 'silver'): name: Field required"),
        (lambda m: m["partners"][0].update(colour="red"), "partners[0] (key 'acme'): colour: Extra inputs"),
        (lambda m: m["partners"][0].update(key="has space"), "partners[0] (key 'has space'): key:"),
        (lambda m: m["partners"].append(dict(m["partners"][0])), "partners: key: key 'acme' appears more than once"),
        (
            lambda m: m["tiers"][1].update(rank=20),
            "tiers[1] (key 'gold'): rank: rank 20 is already used by tier 'silver'",
        ),
        (lambda m: m.update(tier=[]), "unknown section 'tier'"),
        (lambda m: m.update(partners={"key": "x"}), "partners: must be a list of entries"),
        (lambda m: m["users"].__setitem__(0, "ann"), "users[0]: Input should be a valid dictionary"),
        (lambda m: m["partners"][0].update(active="maybe"), "partners[0] (key 'acme'): active:"),
    ],
)
def test_invalid_manifests_write_nothing(tmp_path, mutate, fragment):
    bad = json.loads(json.dumps(MANIFEST))
    mutate(bad)
    assert_rejected(tmp_path, bad, fragment)


def test_rank_clash_with_a_stored_tier_is_caught_before_writing(tmp_path):
    Tier.objects.create(key="platinum", name="Platinum", rank=30)
    assert_rejected(tmp_path, MANIFEST, "tiers[1] (key 'gold'): rank: rank 30 is already used by tier 'platinum'")


def test_model_validation_errors_roll_back_the_whole_import(tmp_path):
    """An error only the database-level validation sees (a staff account as a partner user) still writes nothing."""
    get_user_model().objects.create_user(username="bob", email="bob@vendor.test", is_staff=True)
    assert_rejected(tmp_path, MANIFEST, "users[1] (key 'bob'): key: is a staff account")


def test_references_to_stored_rows_are_accepted(tmp_path):
    run_import(tmp_path, MANIFEST)
    out = run_import(
        tmp_path, {"users": [{"key": "cat", "email": "cat@acme.test", "partner": "acme", "roles": ["sales"]}]}
    )
    assert "users: 1 created" in out


def test_dry_run_reports_and_writes_nothing(tmp_path):
    out = run_import(tmp_path, MANIFEST, "--dry-run")
    assert "Dry run" in out
    assert "partners: 2 created" in out
    assert not Partner.objects.exists()
    assert not PartnerType.objects.exists()
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    "text, fragment",
    [("{not json", "not valid JSON"), ("[]", "must be a JSON object"), ('"text"', "must be a JSON object")],
)
def test_unreadable_manifests_are_clear_command_errors(tmp_path, text, fragment):
    with pytest.raises(CommandError, match=fragment):
        run_import(tmp_path, text)


def test_missing_file_is_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_content", str(tmp_path / "missing.json"))


def test_a_partner_names_its_channel_manager_by_staff_e_mail(tmp_path):
    from partners.factories import StaffUserFactory, UserFactory

    carla = StaffUserFactory(email="Carla@Vendor.test")
    UserFactory(email="not.staff@vendor.test")
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["partners"][0]["channel_manager"] = "carla@vendor.test"
    run_import(tmp_path, manifest)
    assert Partner.objects.get(key="acme").channel_manager == carla

    del manifest["partners"][0]["channel_manager"]  # left out: unchanged
    run_import(tmp_path, manifest)
    assert Partner.objects.get(key="acme").channel_manager == carla

    manifest["partners"][0]["channel_manager"] = None  # null: no channel manager any more
    run_import(tmp_path, manifest)
    assert Partner.objects.get(key="acme").channel_manager is None

    manifest["partners"][1]["channel_manager"] = "not.staff@vendor.test"
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, manifest)
    assert "partners[1] (key 'globex'): channel_manager: no active staff user has the e-mail" in str(error.value)
    assert Partner.objects.get(key="globex").channel_manager is None


def test_a_user_s_last_day_is_imported_and_left_alone_when_absent(tmp_path):
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["users"][0]["leaves_on"] = "2027-01-31"
    run_import(tmp_path, manifest)
    assert str(PartnerMembership.objects.get(user__username="ann").leaves_on) == "2027-01-31"
    del manifest["users"][0]["leaves_on"]
    assert "users: 0 created, 0 updated, 2 unchanged" in run_import(tmp_path, manifest)
    assert str(PartnerMembership.objects.get(user__username="ann").leaves_on) == "2027-01-31"
    manifest["users"][0]["leaves_on"] = None  # notice withdrawn
    run_import(tmp_path, manifest)
    assert PartnerMembership.objects.get(user__username="ann").leaves_on is None
    manifest["users"][0]["leaves_on"] = "2027-01-31"
    run_import(tmp_path, manifest)
    del manifest["users"][0]["leaves_on"]
    manifest["users"][0]["partner"] = "globex"  # moved: the notice was given at the partner they left
    run_import(tmp_path, manifest)
    membership = PartnerMembership.objects.get(user__username="ann")
    assert (membership.partner.key, membership.leaves_on) == ("globex", None)


def test_import_progress_bars_redraw_their_line_instead_of_printing_one_per_entry(tmp_path):
    users = [{"key": f"user{n}", "email": f"user{n}@acme.test", "partner": "acme"} for n in range(60)]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({**MANIFEST, "users": users}))
    err = StringIO()
    call_command("import_content", str(path), stdout=StringIO(), stderr=err)  # with its progress bars
    assert get_user_model().objects.filter(username__startswith="user").count() == 60
    assert err.getvalue().count("\n") < 10
