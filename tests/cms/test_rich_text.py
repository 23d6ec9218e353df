"""Rich text reaches partners clean (no stored XSS through the importer) and in a structured form too."""

import json
from io import StringIO

from django.core.management import call_command

import pytest

from cms.factories import ProgramFactory
from cms.models import Bulletin, Program

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Earn <b>more</b><script>alert(1)</script> '
    '<a href="javascript:alert(1)">click</a> <a href="https://vendor.example/mdf">MDF</a></p>'
    "<img src=x onerror=alert(2)><h2>How it works</h2><ul><li>Register</li><li>Claim</li></ul>"
)


def test_imported_rich_text_is_cleaned_before_it_is_stored(tmp_path, client, gold_partner_user):
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "programs": [{"key": "p", "title": "MDF", "body": HOSTILE, "eligibility": HOSTILE, "state": "live"}],
                "bulletins": [{"key": "b", "title": "News", "body": HOSTILE, "state": "live"}],
            }
        )
    )
    call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())
    for stored in (Program.objects.get().body, Program.objects.get().eligibility, Bulletin.objects.get().body):
        for bad in ("<script", "onclick", "onerror", "javascript:", "<img"):
            assert bad not in stored
        assert '<a href="https://vendor.example/mdf">MDF</a>' in stored
    for url in (f"/api/v1/programs/{Program.objects.get().pk}", f"/api/v1/bulletins/{Bulletin.objects.get().pk}"):
        text = client.get(url, **gold_partner_user.headers).content.decode()
        assert "<script" not in text and "javascript:" not in text and "onerror" not in text


def test_bodies_come_as_html_and_as_blocks(client, gold_partner_user):
    program = ProgramFactory(
        body="<h2>How it works</h2><p>Register <b>deals</b>.</p><ol><li>Register</li><li>Win</li></ol>"
    )
    body = client.get(f"/api/v1/programs/{program.pk}", **gold_partner_user.headers).json()
    assert body["body"].startswith("<h2>How it works</h2>")
    assert body["body_blocks"] == [
        {"type": "heading", "level": 2, "text": "How it works"},
        {"type": "paragraph", "text": "Register deals.", "html": "Register <b>deals</b>."},
        {"type": "list", "ordered": True, "items": ["Register", "Win"]},
    ]


def test_the_editors_block_keys_do_not_reach_partners(client, gold_partner_user):
    program = ProgramFactory(body='<p data-block-key="a11eu">Register <b>deals</b>.</p>')
    body = client.get(f"/api/v1/programs/{program.pk}", **gold_partner_user.headers).json()
    assert body["body"] == "<p>Register <b>deals</b>.</p>"
