"""Each real service is reached through the project's own settings and code.

* PostgreSQL is the Django test database, and the audience rule agrees with itself there;
* a Celery task sent through Redis is executed by a separate worker process;
* a document indexed into Elasticsearch is found, and the audience filter works inside it;
* a file saved through the project's S3 storage is read back through a presigned URL.
"""

import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

import pytest
import requests

from partners.audience import search_document_fields, search_filter, viewer_for
from partners.factories import PartnerFactory
from search.client import get_client, index_name
from tests.partners.audience_matrix import build_matrix
from tests.testapp.models import GatedItem


@pytest.mark.django_db
def test_postgresql_is_the_test_database_and_the_audience_rule_holds_there():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0].startswith("15")
    matrix = build_matrix()
    visible = set(GatedItem.objects.visible_to(matrix.viewer_user).values_list("pk", flat=True))
    assert visible == matrix.expected_visible


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_celery_task_runs_in_a_real_worker_through_redis(celery_worker_process):
    from cms.tasks import worker_probe

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    PartnerFactory.create_batch(3)
    result = worker_probe.delay().get(timeout=30)
    assert result["pid"] == celery_worker_process.pid
    assert result["pid"] != os.getpid()
    assert result["partners"] == 3  # the worker reads the committed rows of the same database


@pytest.mark.django_db
def test_elasticsearch_indexes_finds_and_filters_by_audience():
    client = get_client()
    assert client is not None
    assert client.info()["version"]["number"] == "7.10.2"
    name = index_name(f"itest-{uuid.uuid4().hex[:8]}")
    client.indices.create(
        index=name,
        body={
            "mappings": {
                "properties": {
                    "title": {"type": "text", "analyzer": "english"},
                    "audience_min_tier_rank": {"type": "integer"},
                    "audience_partner_types": {"type": "keyword"},
                    "audience_regions": {"type": "keyword"},
                    "audience_roles": {"type": "keyword"},
                    "audience_qualification": {"type": "keyword"},
                    "audience_qualification_mode": {"type": "keyword"},
                    "audience_qualification_holders": {"type": "integer"},
                }
            }
        },
    )
    try:
        matrix = build_matrix()
        for item in matrix.items.values():
            client.index(
                index=name,
                id=item.pk,
                body={"title": f"battlecard {item.title}", **search_document_fields(item.get_audience())},
            )
        client.indices.refresh(index=name)

        everything = client.search(index=name, body={"query": {"match": {"title": "battlecards"}}, "size": 200})
        assert everything["hits"]["total"]["value"] == len(matrix.items)  # stemmed: battlecards finds battlecard

        viewer = viewer_for(matrix.viewer_user)
        filtered = client.search(
            index=name,
            body={
                "query": {"bool": {"must": {"match": {"title": "battlecard"}}, "filter": search_filter(viewer)}},
                "size": 200,
            },
        )
        assert {int(hit["_id"]) for hit in filtered["hits"]["hits"]} == matrix.expected_visible
        assert filtered["hits"]["total"]["value"] == len(matrix.expected_visible)

        nobody = client.search(index=name, body={"query": {"bool": {"filter": search_filter(None)}}})
        assert nobody["hits"]["total"]["value"] == 0
    finally:
        client.indices.delete(index=name)


def test_s3_storage_saves_privately_and_serves_through_presigned_urls():
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    content = f"price list {uuid.uuid4()}".encode()
    name = default_storage.save(f"itest/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        url = default_storage.url(name)
        assert "X-Amz-Signature=" in url
        assert f"X-Amz-Expires={settings.AWS_QUERYSTRING_EXPIRE}&" in url  # short-lived: minutes, not days
        assert settings.AWS_QUERYSTRING_EXPIRE <= 900
        response = requests.get(url, timeout=10)
        assert response.status_code == 200
        assert response.content == content

        unsigned = requests.get(url.split("?")[0], timeout=10)
        assert unsigned.status_code == 403  # the bucket is private: no signature, no file
        # moto's server does not verify presigned signatures or their expiry (a replayed or
        # tampered URL still answers 200 there), so those properties cannot be tested against it.
    finally:
        default_storage.delete(name)
