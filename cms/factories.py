"""factory_boy factories of gated content, for tests, benchmarks and demo data."""

from django.core.files.base import ContentFile
from django.utils import timezone

import factory

from .models import Asset, Bulletin, Language, Product, Program


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"product-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " ").title())


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("key",)

    key = "en"
    name = "English"


class GatedContentFactory(factory.django.DjangoModelFactory):
    """Content, live by default. ``live=False`` gives a draft; audiences as lists, e.g. ``roles=[role]``."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Content {n}")
    summary = factory.Faker("sentence")
    live = True
    last_published_at = factory.LazyAttribute(lambda o: timezone.now() if o.live else None)
    first_published_at = factory.SelfAttribute("last_published_at")

    @factory.post_generation
    def partner_types(self, create, extracted, **kwargs):
        if extracted:
            self.partner_types.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.roles.set(extracted)

    @factory.post_generation
    def commit(self, create, extracted, **kwargs):
        # Parental many-to-many values are kept in memory until the item is saved.
        if create:
            self.save()


class AssetFactory(GatedContentFactory):
    class Meta:
        model = Asset
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Asset {n}")
    asset_type = Asset.AssetType.DOCUMENT
    # A file of its own per asset (as in a real library: identical files are what "duplicate files" reports).
    file = factory.Sequence(lambda n: ContentFile(b"%%PDF-1.4\n%% demo %d\n" % n, name="asset.pdf"))

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if extracted:
            self.products.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if extracted:
            self.languages.set(extracted)

    @factory.post_generation
    def commit(self, create, extracted, **kwargs):
        # Declared again so it runs after products and languages are set.
        if create:
            self.save()


class LinkAssetFactory(AssetFactory):
    """An asset that is a link: an external URL, no file."""

    asset_type = Asset.AssetType.LINK
    file = None
    external_url = factory.Sequence(lambda n: f"https://www.vendor.example/partners/page-{n}")


class ProgramFactory(GatedContentFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Program {n}")
    body = "<p>How the program works.</p>"


class BulletinFactory(GatedContentFactory):
    class Meta:
        model = Bulletin
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bulletin {n}")
    body = "<p>News for partners.</p>"


def asset_with_file_text(*, data: bytes, name: str, **kwargs) -> Asset:
    """A live asset whose file (``data`` named ``name``) is its first version, with the file's text read.

    The version is recorded and read through the services, as publishing and the worker do.
    """
    from .services.file_text import file_text_extract
    from .services.versions import asset_record_versions

    asset = AssetFactory(file=ContentFile(data, name=name), **kwargs)
    (version,) = asset_record_versions(assets=[asset])
    file_text_extract(version_id=version.pk)
    return asset


# --- Files built with the libraries (never binary fixtures): previews and co-branding tests, the demo ---------


def pdf_bytes(*, pages: int = 3, text: str = "Price list") -> bytes:
    """A real PDF of ``pages`` A4 pages, each saying ``text`` and its number (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=28)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"{text} - page {number}")
    return bytes(pdf.output())


def png_bytes(*, size=(640, 400), colour="#1f6feb") -> bytes:
    """A real PNG of one colour (Pillow)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def docx_bytes(*, text: str = "Battlecard") -> bytes:
    """A minimal real Word document (Office Open XML: the content types, the package's relations, the body)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return out.getvalue()


def publish(asset):
    """Publish ``asset`` as an editor would (a revision, then publish): its file becomes a version."""
    asset.save_revision().publish()
    return type(asset).objects.get(pk=asset.pk)


class ContentViewFactory(factory.django.DjangoModelFactory):
    """A partner user's view of an item's detail. ``item=`` any gated item (kind and id follow); without it an asset
    id that need not exist. The partner is the user's unless given."""

    class Meta:
        model = "cms.ContentView"

    class Params:
        item = None

    kind = factory.LazyAttribute(lambda o: o.item._meta.model_name if o.item is not None else "asset")
    item_id = factory.LazyAttributeSequence(lambda o, n: o.item.pk if o.item is not None else n + 1)
    user = None
    partner = factory.LazyAttribute(
        lambda o: membership.partner if (membership := getattr(o.user, "partner_membership", None)) else None
    )


class FileScanFactory(factory.django.DjangoModelFactory):
    """A stored file's scan record, pending unless told otherwise."""

    class Meta:
        model = "cms.FileScan"

    name = factory.Sequence(lambda n: f"assets/file-{n}.pdf")


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cms.WebhookEndpoint"

    name = factory.Sequence(lambda n: f"Receiver {n}")
    url = factory.Sequence(lambda n: f"https://portal{n}.example.test/hook")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    """One delivery of an event to an endpoint, pending unless told otherwise."""

    class Meta:
        model = "cms.WebhookDelivery"

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event = "published"
    payload = factory.LazyAttribute(lambda o: {"event": o.event, "kind": "asset", "id": 1, "title": "An asset"})
