"""A backup taken while partners write, restored into a fresh database and bucket: nothing committed before the
backup's snapshot is lost, nothing after it leaks in, and the restored hub answers the API with the right files.

On the real stack: PostgreSQL (pg_dump in one exported snapshot, pg_restore into a second database on the same
server), S3 on moto (the backup goes to its own bucket, the files are restored into a second hub bucket).
"""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction

import boto3
import psycopg
import pytest

from cms.factories import AssetFactory
from cms.models import Asset, Download
from cms.services.activity import download_record
from partners.factories import partner_user

from .conftest import ROOT, _database_url_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WRITES_BEFORE = 2  # the writer has committed this many sets before the backup starts
WRITES_AFTER = 2  # and this many after it ended


@dataclass(frozen=True)
class Written:
    asset_id: int
    download_id: int
    file_name: str
    sha256: str
    xid: str  # the transaction that committed the set (pg_current_xact_id)


def s3():
    return boto3.client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL,
        region_name=settings.AWS_S3_REGION_NAME,
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )


def write_until(stop: threading.Event, written: list, errors: list) -> None:
    """A partner's writes in a loop: an asset with its own private file and a download of it, one transaction each."""
    try:
        user = partner_user()
        while not stop.is_set():
            data = b"%PDF-1.4\n" + os.urandom(4096)
            with transaction.atomic():
                asset = AssetFactory(title=f"Written live {len(written)}", file=ContentFile(data, "live.pdf"))
                download = download_record(asset=asset, user=user)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_current_xact_id()::text")
                    xid = cursor.fetchone()[0]
            digest = hashlib.sha256(data).hexdigest()
            written.append(Written(asset.pk, download.pk, asset.file.name, digest, xid))
    except Exception as error:  # reported by the test
        errors.append(error)
    finally:
        connection.close()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the writer did not make progress"
        time.sleep(0.05)


@pytest.fixture
def restored_database():
    """A fresh, empty database on the same PostgreSQL server; dropped after the test."""
    name = f"restored_{uuid.uuid4().hex[:10]}"
    url = _database_url_for("postgres")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_while_partners_write_restores_everything_committed_before_its_snapshot(restored_database):
    client = s3()
    backups_bucket, restored_bucket = f"backups-{uuid.uuid4().hex[:8]}", f"restored-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=backups_bucket)
    client.create_bucket(Bucket=restored_bucket)
    location = f"s3://{backups_bucket}/partnerhub"
    before = AssetFactory(title="Stored before the backup")

    stop, written, errors = threading.Event(), [], []
    writer = threading.Thread(target=write_until, args=(stop, written, errors))
    writer.start()
    try:
        wait_for(lambda: len(written) >= WRITES_BEFORE or errors)
        during_start, started = len(written), time.monotonic()
        call_command("backup", "--location", location, "--no-progress", verbosity=0)
        after_backup, timings = len(written), {"backup": time.monotonic() - started}
        wait_for(lambda: len(written) >= after_backup + WRITES_AFTER or errors)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    assert len(written) > during_start, "no write ran while the backup did"

    listing = client.list_objects_v2(Bucket=backups_bucket, Prefix="partnerhub/")
    manifest_key = next(item["Key"] for item in listing["Contents"] if item["Key"].endswith("/manifest.json"))
    manifest = json.loads(client.get_object(Bucket=backups_bucket, Key=manifest_key)["Body"].read())
    snapshot = manifest["database"]["snapshot"]

    # Which writes the snapshot holds, as PostgreSQL itself says: committed before it, or not.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x, pg_visible_in_snapshot(x::xid8, %s::pg_snapshot) FROM unnest(%s::text[]) AS x",
            [snapshot, [w.xid for w in written]],
        )
        visible = dict(cursor.fetchall())
    kept = [w for w in written if visible[w.xid]]
    later = [w for w in written if not visible[w.xid]]
    assert len(kept) >= WRITES_BEFORE and len(later) >= WRITES_AFTER

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url_for(restored_database),
        "AWS_STORAGE_BUCKET_NAME": restored_bucket,
    }
    started = time.monotonic()
    restore = subprocess.run(
        [sys.executable, "manage.py", "restore", manifest["name"], "--location", location, "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restore.returncode == 0, restore.stderr[-3000:]
    timings["restore"] = time.monotonic() - started

    # The rows: every set committed before the snapshot, none after it, and what was there before.
    with psycopg.connect(_database_url_for(restored_database)) as restored:
        asset_ids = {row[0] for row in restored.execute(f"SELECT id FROM {Asset._meta.db_table}")}  # noqa: S608
        download_ids = {row[0] for row in restored.execute(f"SELECT id FROM {Download._meta.db_table}")}  # noqa: S608
    assert before.pk in asset_ids
    assert {w.asset_id for w in kept} <= asset_ids and not {w.asset_id for w in later} & asset_ids
    assert {w.download_id for w in kept} <= download_ids and not {w.download_id for w in later} & download_ids

    # The files of the restored rows, in the restored bucket, byte for byte.
    for w in kept:
        body = client.get_object(Bucket=restored_bucket, Key=f"private/{w.file_name}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == w.sha256, w.file_name

    # The restored hub answers partners: the list, each restored asset and its download; the later ones are 404.
    started = time.monotonic()
    probe = subprocess.run(
        [sys.executable, "-m", "tests.integration.backup_probe"],
        cwd=ROOT,
        env=env,
        input=json.dumps({"present": [w.asset_id for w in kept], "absent": [w.asset_id for w in later]}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    answer = json.loads(probe.stdout.strip().splitlines()[-1])
    assert answer["list"] == 200 and answer["count"] >= len(kept) + 1
    for w in kept:
        assert answer["present"][str(w.asset_id)] == {"detail": 200, "download": 302, "sha256": w.sha256}
    assert set(answer["absent"].values()) == {404}
    timings["probe"] = time.monotonic() - started
    phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in timings.items())
    print(f"{len(written)} sets written ({len(kept)} in the backup); {phases}")
