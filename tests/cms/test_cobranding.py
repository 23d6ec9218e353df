"""Co-branded downloads: a partner's logo and name stamped onto a co-brandable PDF, made once per version and
partner, kept privately, made again when the logo or name changes; the original stays as it was."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from pypdf import PdfReader

from cms.factories import AssetFactory, docx_bytes, pdf_bytes, png_bytes, publish
from cms.models import Asset, CobrandedFile, Download
from cms.storage import private_storage
from partners.factories import PartnerFactory, RoleFactory, TierFactory
from partners.services import partner_branding_update
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold():
    return TierFactory(key="gold", rank=30)


def branded_partner(gold, name: str, colour: str = "#d62828"):
    partner = PartnerFactory(tier=gold, name=f"{name} Holdings GmbH")
    partner_branding_update(
        partner=partner,
        actor=None,
        display_name=name,
        logo=SimpleUploadedFile("logo.png", png_bytes(size=(300, 120), colour=colour), content_type="image/png"),
    )
    return partner


@pytest.fixture
def acme(gold):
    return branded_partner(gold, "Acme Networks")


@pytest.fixture
def acme_user(acme):
    return make_token_user(partner=acme, roles=[RoleFactory(key="marketing")])


def cobrandable(django_capture_on_commit_callbacks, **fields):
    asset = AssetFactory(
        live=False, file=ContentFile(pdf_bytes(pages=2), name="datasheet.pdf"), cobrandable=True, **fields
    )
    with django_capture_on_commit_callbacks(execute=True):
        return publish(asset)


def download(client, user, asset) -> bytes:
    response = client.get(f"/api/v1/assets/{asset.pk}/download", **user.headers)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def stored_sha256(asset) -> str:
    with private_storage().open(asset.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def image_xobjects(page) -> list:
    xobjects = page["/Resources"].get("/XObject", {})
    return [name for name, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"]


def test_a_partners_download_carries_their_logo_and_name_and_the_original_is_unchanged(
    client, acme_user, django_capture_on_commit_callbacks
):
    asset = cobrandable(django_capture_on_commit_callbacks)
    original = stored_sha256(asset)
    assert original == asset.file_sha256
    reader = PdfReader(io.BytesIO(download(client, acme_user, asset)))
    assert "Acme Networks" in reader.pages[0].extract_text()
    assert (
        "Datasheet" not in reader.pages[0].extract_text() and "Price list - page 1" in reader.pages[0].extract_text()
    )
    assert image_xobjects(reader.pages[0])
    assert "Acme Networks" not in reader.pages[1].extract_text()  # placement: the first page only
    assert stored_sha256(asset) == original
    record = Download.objects.get()
    assert (record.cobranded, record.partner_id, record.version.number) == (
        True,
        acme_user.user.partner_membership.partner_id,
        1,
    )


def test_every_page_and_another_corner(client, acme_user, django_capture_on_commit_callbacks):
    asset = cobrandable(
        django_capture_on_commit_callbacks, cobrand_pages="all", cobrand_corner="top-left", cobrand_size="large"
    )
    reader = PdfReader(io.BytesIO(download(client, acme_user, asset)))
    assert all("Acme Networks" in page.extract_text() and image_xobjects(page) for page in reader.pages)


def test_the_second_download_reuses_the_copy(client, acme_user, django_capture_on_commit_callbacks):
    asset = cobrandable(django_capture_on_commit_callbacks)
    first = download(client, acme_user, asset)
    copy = CobrandedFile.objects.get()
    second = download(client, acme_user, asset)
    again = CobrandedFile.objects.get()
    assert (again.file.name, again.created_at, again.fingerprint) == (
        copy.file.name,
        copy.created_at,
        copy.fingerprint,
    )
    assert first == second
    assert list(Download.objects.values_list("cobranded", flat=True)) == [True, True]


def test_a_new_logo_or_name_makes_a_new_copy(client, acme, acme_user, django_capture_on_commit_callbacks):
    asset = cobrandable(django_capture_on_commit_callbacks)
    download(client, acme_user, asset)
    old = CobrandedFile.objects.get()
    partner_branding_update(
        partner=acme,
        actor=None,
        display_name="Acme Cloud",
        logo=SimpleUploadedFile("new.png", png_bytes(colour="#2a9d8f"), content_type="image/png"),
    )
    with django_capture_on_commit_callbacks(execute=True):  # the old copy's file is deleted after the commit
        text = PdfReader(io.BytesIO(download(client, acme_user, asset))).pages[0].extract_text()
    new = CobrandedFile.objects.get()
    assert "Acme Cloud" in text and "Acme Networks" not in text
    assert new.file.name != old.file.name and new.fingerprint != old.fingerprint
    assert not private_storage().exists(old.file.name)


def test_users_of_another_partner_get_their_own_copy(client, gold, acme_user, django_capture_on_commit_callbacks):
    asset = cobrandable(django_capture_on_commit_callbacks)
    globex_user = make_token_user(partner=branded_partner(gold, "Globex Systems", "#264653"))
    acme_text = PdfReader(io.BytesIO(download(client, acme_user, asset))).pages[0].extract_text()
    globex_text = PdfReader(io.BytesIO(download(client, globex_user, asset))).pages[0].extract_text()
    assert "Acme Networks" in acme_text and "Globex" not in acme_text
    assert "Globex Systems" in globex_text and "Acme" not in globex_text
    assert CobrandedFile.objects.count() == 2


def test_a_partner_without_logo_gets_their_name(client, gold, django_capture_on_commit_callbacks):
    plain = make_token_user(partner=PartnerFactory(tier=gold, name="Initech"))
    asset = cobrandable(django_capture_on_commit_callbacks)
    page = PdfReader(io.BytesIO(download(client, plain, asset))).pages[0]
    assert "Initech" in page.extract_text() and not image_xobjects(page)


def test_a_new_version_is_co_branded_afresh(client, acme_user, django_capture_on_commit_callbacks):
    asset = cobrandable(django_capture_on_commit_callbacks)
    download(client, acme_user, asset)
    asset.file = ContentFile(pdf_bytes(pages=1, text="Datasheet 2027"), name="datasheet-2027.pdf")
    asset.version_note = "2027"
    asset.full_clean()
    asset.save()
    asset = publish(asset)
    text = PdfReader(io.BytesIO(download(client, acme_user, asset))).pages[0].extract_text()
    assert "Datasheet 2027" in text and "Acme Networks" in text
    assert sorted(CobrandedFile.objects.values_list("version__number", flat=True)) == [1, 2]


def test_an_asset_not_co_brandable_is_downloaded_as_it_is(client, acme_user, django_capture_on_commit_callbacks):
    asset = AssetFactory(live=False, file=ContentFile(pdf_bytes(pages=1), name="plain.pdf"))
    asset = publish(asset)
    with private_storage().open(asset.file.name, "rb") as handle:
        assert download(client, acme_user, asset) == handle.read()
    assert Download.objects.get().cobranded is False and not CobrandedFile.objects.exists()


def test_only_pdfs_can_be_co_branded():
    asset = AssetFactory.build(
        asset_type=Asset.AssetType.DOCUMENT, file=ContentFile(docx_bytes(), name="deck.docx"), cobrandable=True
    )
    with pytest.raises(ValidationError) as excinfo:
        asset.full_clean()
    assert "Only PDF files can be co-branded" in str(excinfo.value.message_dict["cobrandable"])


def test_a_logo_must_be_a_real_png_or_jpeg(acme):
    before = (acme.logo.name, acme.logo_sha256)
    for upload in [
        SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png"),
        SimpleUploadedFile("logo.gif", _gif(), content_type="image/gif"),
    ]:
        with pytest.raises(ValidationError):
            partner_branding_update(partner=acme, actor=None, display_name="X", logo=upload)
    acme.refresh_from_db()
    assert (acme.logo.name, acme.logo_sha256, acme.display_name) == (*before, "Acme Networks")


def _gif() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()
