"""The importer's content sections: assets (with files), programs and bulletins, all or nothing."""

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from cms.models import Asset, AssetVersion, Bulletin, Program
from cms.storage import private_storage
from partners.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def manifest(tmp_path):
    StaffUserFactory(email="editor@vendor.test")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "battlecard.pdf").write_bytes(PDF)
    return {
        "tiers": [{"key": "gold", "name": "Gold", "rank": 30}],
        "regions": [{"key": "emea", "name": "EMEA"}],
        "assets": [
            {
                "key": "a1",
                "title": "Acme vs Globex battlecard",
                "summary": "How to win.",
                "type": "battlecard",
                "products": ["widget-pro"],
                "languages": ["en", "de"],
                "file": "files/battlecard.pdf",
                "audience": {"min_tier": "gold", "partner_types": [], "regions": ["emea"], "roles": ["sales"]},
                "go_live_at": None,
                "expire_at": "2099-01-01T00:00:00Z",
                "owner": "editor@vendor.test",
                "review_by": "2098-12-01",
                "state": "live",
            },
            {
                "key": "a2",
                "title": "Partner portal",
                "type": "link",
                "url": "https://example.com/portal",
                "state": "draft",
            },
            {"key": "a3", "title": "Old deck", "type": "link", "url": "https://example.com/old", "state": "archived"},
        ],
        "programs": [
            {
                "key": "p1",
                "title": "Deal registration",
                "body": "<p>Register deals.</p>",
                "key_dates": [{"label": "Claims due", "date": "2099-03-31"}],
                "related_assets": ["a1"],
                "state": "live",
            }
        ],
        "bulletins": [
            {
                "key": "b1",
                "title": "Price change",
                "priority": "critical",
                "pinned": True,
                "attachments": ["a1"],
                "state": "live",
            }
        ],
    }


def run(tmp_path, data):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def state(model):
    return sorted(model.objects.values_list("key", "title", "live", "archived_at", "latest_revision_id", "updated_at"))


def test_content_is_imported_with_files_audience_and_state(tmp_path, manifest):
    out = run(tmp_path, manifest)
    assert "assets: 3 created" in out
    a1 = Asset.objects.get(key="a1")
    assert a1.live and a1.is_live_for_partners()
    assert (a1.min_tier.key, [r.key for r in a1.regions.all()], [r.key for r in a1.roles.all()]) == (
        "gold",
        ["emea"],
        ["sales"],
    )
    assert sorted(a1.languages.values_list("key", flat=True)) == ["de", "en"]
    assert a1.products.get().key == "widget-pro"
    assert a1.owner.email == "editor@vendor.test"
    with private_storage().open(a1.file.name) as stored:
        assert stored.read() == PDF
    assert AssetVersion.objects.filter(asset=a1).count() == 1
    assert not Asset.objects.get(key="a2").live
    assert Asset.objects.get(key="a3").archived_at is not None
    program = Program.objects.get(key="p1")
    assert program.live and list(program.related_assets.all()) == [a1]
    assert [(d.label, str(d.date)) for d in program.key_dates.all()] == [("Claims due", "2099-03-31")]
    bulletin = Bulletin.objects.get(key="b1")
    assert (bulletin.priority, bulletin.pinned, bulletin.live) == ("critical", True, True)


def test_importing_twice_changes_nothing_the_second_time(tmp_path, manifest):
    run(tmp_path, manifest)
    before = [state(Asset), state(Program), state(Bulletin), AssetVersion.objects.count()]
    out = run(tmp_path, manifest)
    assert [state(Asset), state(Program), state(Bulletin), AssetVersion.objects.count()] == before
    assert "assets: 0 created, 0 updated, 3 unchanged" in out
    assert "programs: 0 created, 0 updated, 1 unchanged" in out


def test_a_new_file_makes_a_new_version_with_its_note(tmp_path, manifest):
    run(tmp_path, manifest)
    (tmp_path / "files" / "battlecard.pdf").write_bytes(PDF + b"% v2\n")
    manifest["assets"][0]["version_note"] = "Updated for Q3"
    out = run(tmp_path, manifest)
    assert "assets: 0 created, 1 updated, 2 unchanged" in out
    versions = list(Asset.objects.get(key="a1").versions.values_list("number", "change_note"))
    assert versions == [(2, "Updated for Q3"), (1, "First version")]


def test_state_changes_are_honoured_on_reimport(tmp_path, manifest):
    run(tmp_path, manifest)
    manifest["assets"][0]["state"] = "archived"
    manifest["assets"][2]["state"] = "live"
    run(tmp_path, manifest)
    assert Asset.objects.get(key="a1").archived_at is not None
    restored = Asset.objects.get(key="a3")
    assert restored.archived_at is None and restored.live


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda m: m["assets"][0].update(file="files/missing.pdf"), "assets[0] (key 'a1'): file: no such file"),
        (lambda m: m["assets"][0].update(file="../../etc/passwd"), "must be a path inside the manifest's folder"),
        (lambda m: m["assets"][0].update(type="poster"), "assets[0] (key 'a1'): type:"),
        (lambda m: m["assets"][0]["audience"].update(min_tier="diamond"), "audience.min_tier: unknown tier 'diamond'"),
        (lambda m: m["assets"][0]["audience"].update(roles=["wizard"]), "audience.roles: unknown role 'wizard'"),
        (lambda m: m["assets"][0].update(owner="nobody@vendor.test"), "owner: no active staff user"),
        (lambda m: m["assets"][0].update(languages=["xx"]), "languages: unknown language code 'xx'"),
        (lambda m: m["assets"][0].update(expire_at="2099-01-01T00:00:00"), "needs a time zone"),
        (lambda m: m["assets"][0].update(state="published"), "assets[0] (key 'a1'): state:"),
        (lambda m: m["assets"][1].pop("url"), "assets[1] (key 'a2'): url: a link needs its url"),
        (lambda m: m["programs"][0].update(related_assets=["zz"]), "related_assets: unknown asset 'zz'"),
        (lambda m: m["bulletins"][0].update(priority="urgent"), "bulletins[0] (key 'b1'): priority:"),
    ],
)
def test_bad_content_entries_write_nothing(tmp_path, manifest, mutate, fragment):
    mutate(manifest)
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, manifest)
    assert fragment in str(excinfo.value)
    assert not Asset.objects.exists() and not Program.objects.exists() and not Bulletin.objects.exists()


def test_a_file_replaced_without_a_note_is_refused_and_rolled_back(tmp_path, manifest):
    run(tmp_path, manifest)
    before = state(Asset)
    (tmp_path / "files" / "battlecard.pdf").write_bytes(PDF + b"% changed\n")
    with pytest.raises(CommandError, match="say what changed"):
        run(tmp_path, manifest)
    assert state(Asset) == before
