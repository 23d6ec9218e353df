"""Backups (core.backups, ``manage.py backup`` / ``restore``) on SQLite and local storages: the set, the round trip,
and every refusal (a backup that does not match its manifest changes nothing). PostgreSQL and S3, with writes
running during the backup: tests/integration/test_backups.py."""

import hashlib
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command

import pytest

from cms.factories import AssetFactory
from cms.models import Asset
from cms.storage import private_storage
from core.backups.database import DatabaseBackupError, pg_tool
from core.backups.locations import safe_name, storage_root, walk
from core.backups.manifest import MANIFEST
from core.backups.selectors import backup_list


@pytest.fixture
def location(settings, tmp_path):
    settings.BACKUP_LOCATION = str(tmp_path / "backups")
    return tmp_path / "backups"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup() -> str:
    call_command("backup", "--no-progress", verbosity=0)
    return backup_list()[-1].name


def restore(*args, **options):
    call_command("restore", *args, "--no-progress", verbosity=0, **options)


@pytest.fixture
def one_backup(db, location):
    """A private file and a media file, and a backup holding them; answers (backup folder, manifest dict)."""
    private_storage().save("assets/backup-test/price-list.pdf", ContentFile(b"%PDF-1.4 price list"))
    default_storage.save("images/backup-test/logo.png", ContentFile(b"\x89PNG logo"))
    name = backup()
    folder = location / name
    return folder, json.loads((folder / MANIFEST).read_text())


def test_a_backup_is_a_dump_the_files_and_a_manifest_of_each_files_size_and_sha256(one_backup):
    folder, manifest = one_backup
    assert manifest["database"]["vendor"] == "sqlite"
    assert (folder / "database.sqlite3").stat().st_size == manifest["database"]["size"]
    assert "cms.0001_content" in manifest["database"]["migrations"]
    entries = {(entry["storage"], entry["name"]): entry for entry in manifest["files"]}
    pdf = entries[("private", "assets/backup-test/price-list.pdf")]
    assert pdf["size"] == 19 and pdf["sha256"] == sha256(b"%PDF-1.4 price list")
    assert (folder / "files/private/assets/backup-test/price-list.pdf").read_bytes() == b"%PDF-1.4 price list"
    assert entries[("default", "images/backup-test/logo.png")]["sha256"] == sha256(b"\x89PNG logo")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_the_rows_and_files_of_the_backup(location):
    kept = AssetFactory(title="Kept price list")
    kept_bytes = private_storage().open(kept.file.name).read()
    name = backup()

    # After the backup: the asset is deleted with its file, another one is added, and a file is overwritten.
    private_storage().delete(kept.file.name)
    Asset.objects.filter(pk=kept.pk).delete()
    later = AssetFactory(title="Made after the backup")

    restore(name, interactive=False)

    assert Asset.objects.filter(pk=kept.pk, title="Kept price list").exists()
    assert not Asset.objects.filter(pk=later.pk).exists()
    assert private_storage().open(kept.file.name).read() == kept_bytes


def test_walk_leaves_out_a_storage_nested_inside_another(tmp_path):
    outer = FileSystemStorage(location=str(tmp_path))
    inner = FileSystemStorage(location=str(tmp_path / "private"))
    outer.save("images/a.png", ContentFile(b"a"))
    inner.save("assets/b.pdf", ContentFile(b"bb"))
    roots = (storage_root(outer), storage_root(inner))
    assert [(f.name, f.size) for f in walk(outer, exclude_roots=roots)] == [("images/a.png", 1)]
    assert [(f.name, f.size) for f in walk(inner, exclude_roots=roots)] == [("assets/b.pdf", 2)]


def test_keep_deletes_the_oldest_finished_backups(db, location):
    names = [backup() for _ in range(3)]
    call_command("backup", "--no-progress", "--keep", "2", verbosity=0)
    remaining = [info.name for info in backup_list()]
    assert len(remaining) == 2 and remaining[0] == names[2] and remaining[1] > names[2]
    (location / remaining[1] / MANIFEST).unlink()  # an unfinished backup newer than the oldest kept stays
    call_command("backup", "--prune", "--keep", "1", verbosity=0)
    assert [info.name for info in backup_list()] == remaining


# --- Refusals: a clear command error, and nothing changed ---------------------------------------------------


def assert_refused(one_backup, match: str, *args):
    """Restore ``args`` (default: the backup by its name) is refused with ``match``."""
    with pytest.raises(CommandError, match=match):
        restore(*(args or [one_backup[0].name]), interactive=False)
    # Nothing changed: the private file is still the one stored before the backup, the database still answers.
    assert private_storage().open("assets/backup-test/price-list.pdf").read() == b"%PDF-1.4 price list"


def rewrite_manifest(one_backup, change):
    folder, manifest = one_backup
    change(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_a_file_that_differs_from_the_manifest_is_refused(one_backup):
    copy = one_backup[0] / "files/private/assets/backup-test/price-list.pdf"
    copy.write_bytes(b"%PDF-1.4 price lisT")  # same size, other content
    assert_refused(one_backup, r"does not match its manifest: files/private/assets/backup-test/price-list.pdf: SHA")


def test_a_missing_file_or_dump_is_refused(one_backup):
    (one_backup[0] / "files/default/images/backup-test/logo.png").unlink()
    (one_backup[0] / "database.sqlite3").write_bytes(b"short")
    assert_refused(one_backup, r"database.sqlite3: 5 bytes, the manifest says .*logo.png: missing")


def test_a_manifest_that_is_not_json_is_refused(one_backup):
    (one_backup[0] / MANIFEST).write_text("{not json")
    assert_refused(one_backup, "its manifest is not valid JSON")


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "assets/./x", "assets//x", ""])
def test_a_manifest_naming_a_file_outside_its_storage_is_refused(one_backup, name):
    rewrite_manifest(one_backup, lambda m: m["files"].append({**m["files"][0], "name": name}))
    assert_refused(one_backup, "malformed or unsafe")


def test_a_manifest_of_an_unknown_format_or_another_backup_is_refused(one_backup):
    rewrite_manifest(one_backup, lambda m: m.update(format="partnerhub-backup/99"))
    assert_refused(one_backup, "unknown manifest format")
    rewrite_manifest(one_backup, lambda m: m.update(format="partnerhub-backup/1", name="20200101T000000000000Z"))
    assert_refused(one_backup, "its manifest names another backup")


def test_a_backup_of_a_newer_hub_is_refused(one_backup):
    rewrite_manifest(one_backup, lambda m: m["database"]["migrations"].append("cms.9999_from_the_future"))
    assert_refused(one_backup, r"newer version of the hub \(migrations this code lacks: cms.9999_from_the_future")


def test_a_postgresql_backup_is_refused_by_a_hub_on_sqlite(one_backup):
    def to_postgresql(manifest):
        manifest["database"].update(vendor="postgresql", file="database.dump")

    (one_backup[0] / "database.sqlite3").rename(one_backup[0] / "database.dump")
    rewrite_manifest(one_backup, to_postgresql)
    assert_refused(one_backup, "holds a postgresql database; this hub runs on sqlite")


def test_an_unfinished_or_unknown_backup_is_refused(one_backup):
    (one_backup[0] / MANIFEST).unlink()
    assert_refused(one_backup, "is unfinished")
    assert_refused(one_backup, "No backup 20200101T000000000000Z", "20200101T000000000000Z")
    assert_refused(one_backup, "is not a backup name", "..")
    with pytest.raises(CommandError, match="No finished backup in"):
        restore(interactive=False)  # the newest finished one: there is none


def test_restore_asks_first_and_an_answer_other_than_yes_changes_nothing(one_backup, monkeypatch):
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    private_storage().delete("assets/backup-test/price-list.pdf")  # changed after the backup: stays changed
    with pytest.raises(CommandError, match="Restore cancelled: nothing was changed"):
        restore(one_backup[0].name)
    assert not private_storage().exists("assets/backup-test/price-list.pdf")
    assert asked == ["Type 'yes' to restore: "]


def test_a_location_that_is_neither_a_folder_nor_s3_is_a_clear_error(db):
    with pytest.raises(CommandError, match="a local folder or to s3://bucket/prefix"):
        call_command("backup", "--location", "ftp://backups.example.com/hub", verbosity=0)
    with pytest.raises(CommandError, match="names no bucket"):
        call_command("backup", "--location", "s3:///prefix", verbosity=0)


def test_no_pg_dump_of_the_servers_version_is_a_clear_error():
    with pytest.raises(DatabaseBackupError, match="apt-get install postgresql-client-99"):
        pg_tool("pg_dump", at_least=99)


@pytest.mark.parametrize(
    ("name", "safe"), [("assets/2026/11/a.pdf", True), ("a", True), ("../a", False), ("a/../b", False), ("a/", False)]
)
def test_safe_names(name, safe):
    assert safe_name(name) is safe


def test_backups_kept_inside_a_backed_up_storage_are_not_backed_up_again(db, settings):
    inside = Path(default_storage.path("backups-inside-media"))
    settings.BACKUP_LOCATION = str(inside)
    default_storage.save("images/backup-test/logo.png", ContentFile(b"\x89PNG logo"))
    backup()
    second = json.loads((inside / backup() / MANIFEST).read_text())
    assert not [entry for entry in second["files"] if entry["name"].startswith("backups-inside-media/")]
    assert [entry for entry in second["files"] if entry["name"] == "images/backup-test/logo.png"]


def test_restore_never_clears_a_cache_that_is_the_brokers_redis_database(settings):
    from core.backups.services import caches_clear_after_restore

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6399/0"
    redis = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": redis, "LOCATION": "redis://127.0.0.1:6399"},  # FLUSHDB here drops queued tasks
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "restore-test"},
    }
    from django.core.cache import caches

    caches["local"].set("stale", 1)
    assert caches_clear_after_restore() == ["default"]
    assert caches["local"].get("stale") is None
