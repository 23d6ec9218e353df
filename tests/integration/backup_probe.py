"""The restored hub, as partners see it: run in its own process (``python -m tests.integration.backup_probe``) with
DATABASE_URL and AWS_STORAGE_BUCKET_NAME pointing at the restored database and bucket (tests/integration/
test_backups.py). Reads the asset ids to look at on stdin (JSON: ``{"present": [...], "absent": [...]}``) and prints
JSON: the list's status and count, each present asset's detail status and the SHA-256 of the file its download
hands out, and each absent asset's detail status."""

import hashlib
import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()
    from django.test import Client

    import requests

    from partners.factories import PartnerFactory
    from tests.conftest import make_token_user

    wanted = json.load(sys.stdin)
    # A new partner and user in the restored hub (it takes writes too), named apart from the restored ones.
    partner = PartnerFactory(key="restored-probe", name="Restored probe")
    user = make_token_user(partner=partner, user__username="restored-probe")
    client = Client()
    listing = client.get("/api/v1/assets", {"page_size": 100}, **user.headers)
    answer = {"list": listing.status_code, "count": listing.json().get("count"), "present": {}, "absent": {}}
    for asset_id in wanted["present"]:
        detail = client.get(f"/api/v1/assets/{asset_id}", **user.headers)
        download = client.get(f"/api/v1/assets/{asset_id}/download", **user.headers)
        fetched = requests.get(download["Location"], timeout=10) if download.status_code == 302 else None
        answer["present"][asset_id] = {
            "detail": detail.status_code,
            "download": download.status_code,
            "sha256": hashlib.sha256(fetched.content).hexdigest() if fetched and fetched.ok else None,
        }
    for asset_id in wanted["absent"]:
        answer["absent"][asset_id] = client.get(f"/api/v1/assets/{asset_id}", **user.headers).status_code
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
