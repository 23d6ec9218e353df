"""Text inside files: extraction throughput, and the bulk reindex rate with file text on a realistic share of assets.

    python -m bench.file_text [--files 40] [--share 0.3] [--min-pages 5] [--max-pages 20] [--words 90]

Needs the generated population (``bench.generate_data``) and ELASTICSEARCH_URL.

1. **Extraction**: ``--files`` generated files (half PDFs made with fpdf2, half decks made with
   python-pptx, each of ``--min-pages``..``--max-pages`` pages or slides of text) stored as
   asset versions and read through ``cms.services.file_text.file_text_extract`` as the
   worker does (storage read, parse, units written, search told): files/s and MB/s. Its
   **floor** in the same run: the same bytes parsed in memory by the readers alone (no
   storage, no database); the ratio is what the service adds.
2. **Reindex with file text**: ``--share`` of the live assets get the text of a file of
   ``--min-pages``..``--max-pages`` pages (``--words`` words each) on their current version,
   bulk-inserted (the load, not the code measured), then ``search.services.search_reindex``
   rebuilds the index: documents/s, budget >= 2,000 (DESIGN §8). Its **floor**: the same
   documents, built beforehand, posted raw with bulk requests into a scratch index with the
   same mapping; the ratio (time per document, reindex / floor) is what reading the database
   and building documents adds.

Prints a table and exits 1 if the reindex budget is missed, 2 if it cannot run.
"""

import argparse
import random
import sys
import time

from bench.common import setup_django_as_in_production

REINDEX_BUDGET_PER_S = 2000.0
FLOOR_SAMPLE = 20_000  # documents posted raw for the reindex floor

_WORDS = (
    "router switch firewall branch cloud network partner discount tier gold silver platinum deal registration "
    "rebate quote license subscription support onboarding migration throughput latency bandwidth wireless edge "
    "security policy compliance dashboard analytics integration deployment customer renewal pipeline margin "
    "competitor positioning pricing bundle appliance virtual managed service provider enablement campaign "
    "certification training webinar datasheet warranty replacement lifecycle roadmap release feature upgrade"
)
VOCABULARY = _WORDS.split()


def page_text(rng, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def make_files(rng, count, min_pages, max_pages, words):
    """``(name, bytes)`` of ``count`` files: PDFs and decks alternately."""
    import io

    from fpdf import FPDF
    from pptx import Presentation
    from pptx.util import Inches

    files = []
    for n in range(count):
        pages = [page_text(rng, words) for _ in range(rng.randint(min_pages, max_pages))]
        if n % 2 == 0:
            pdf = FPDF()
            pdf.set_font("helvetica", size=11)
            for text in pages:
                pdf.add_page()
                pdf.multi_cell(0, 6, text)
            files.append((f"bench-{n}.pdf", bytes(pdf.output())))
        else:
            deck = Presentation()
            for text in pages:
                slide = deck.slides.add_slide(deck.slide_layouts[6])
                slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6)).text_frame.text = text
            out = io.BytesIO()
            deck.save(out)
            files.append((f"bench-{n}.pptx", out.getvalue()))
    return files


def bench_extraction(rng, args) -> None:
    from django.core.files.base import ContentFile
    from django.db import transaction

    from cms.extraction import readers
    from cms.models import Asset, AssetVersion, AssetVersionText
    from cms.services.file_text import file_text_extract, file_text_request
    from cms.storage import private_storage
    from cms.uploads import extension_of

    files = make_files(rng, args.files, args.min_pages, args.max_pages, args.words)
    megabytes = sum(len(data) for _name, data in files) / 1e6
    storage = private_storage()
    with transaction.atomic():
        versions = []
        for name, data in files:
            asset = Asset.objects.create(
                title=f"Benchmark file {name}", asset_type="presentation" if name.endswith("pptx") else "document"
            )
            versions.append(AssetVersion(asset=asset, number=1, file=storage.save(f"bench/{name}", ContentFile(data))))
        versions = AssetVersion.objects.bulk_create(versions)
    file_text_request(version_ids=[v.pk for v in versions], queue=False)

    started = time.perf_counter()
    for name, data in files:  # the floor: the readers on bytes in memory
        readers.read_units(extension_of(name), data, readers.Limits())
    floor = time.perf_counter() - started

    started = time.perf_counter()
    states = [file_text_extract(version_id=v.pk, final_attempt=True) for v in versions]
    seconds = time.perf_counter() - started
    if set(states) != {AssetVersionText.State.EXTRACTED}:
        raise SystemExit(f"Extraction did not read every file: {states}")
    print(
        f"{'extraction':<20} {len(files)} files, {megabytes:.1f} MB in {seconds:.2f}s: "
        f"{len(files) / seconds:.1f} files/s, {megabytes / seconds:.2f} MB/s; floor (parse only) "
        f"{len(files) / floor:.1f} files/s, {megabytes / floor:.2f} MB/s; ratio {seconds / floor:.2f}x"
    )


def attach_text(rng, args) -> int:
    """Give ``--share`` of the live assets' current versions the text of a file; answers how many have one."""
    from django.db import transaction
    from django.db.models import Max

    from tqdm import tqdm

    from cms.models import Asset, AssetTextUnit, AssetVersion, AssetVersionText

    with_text = AssetVersionText.objects.filter(state="extracted").count()
    live = Asset.objects.live_for_partners().count()
    wanted = int(live * args.share)
    if with_text >= wanted:
        return with_text
    current = dict(
        AssetVersion.objects.filter(asset__in=Asset.objects.live_for_partners(), text__isnull=True)
        .values_list("asset_id")
        .annotate(number=Max("number"))
        .values_list("asset_id", "number")
    )
    ids = list(
        AssetVersion.objects.filter(asset_id__in=list(current)).values_list("pk", "asset_id", "number").iterator()
    )
    chosen = [pk for pk, asset_id, number in ids if current[asset_id] == number]
    rng.shuffle(chosen)
    chosen = chosen[: wanted - with_text]
    batch = 500
    for start in tqdm(range(0, len(chosen), batch), desc="file text", unit_scale=batch):
        texts, units = [], []
        for pk in chosen[start : start + batch]:
            pages = rng.randint(args.min_pages, args.max_pages)
            texts.append(AssetVersionText(version_id=pk, state="extracted", attempts=1, unit_count=pages))
            units += [
                AssetTextUnit(version_id=pk, number=n, kind="page", text=page_text(rng, args.words))
                for n in range(1, pages + 1)
            ]
        with transaction.atomic():
            AssetVersionText.objects.bulk_create(texts)
            AssetTextUnit.objects.bulk_create(units, batch_size=2000)
    return with_text + len(chosen)


def reindex_floor(client, kinds) -> float:
    """Documents/s of posting ``FLOOR_SAMPLE`` prebuilt documents raw into a scratch index with the same mapping."""
    from elasticsearch.helpers import streaming_bulk

    from search.documents import build_documents, document_id
    from search.index import create_index, new_index_name

    documents = []
    for kind in kinds.values():
        for pk, document in build_documents(kind, kind.model.objects.live_for_partners()):
            documents.append({"_index": None, "_id": document_id(kind.name, pk), "_source": document})
            if len(documents) >= FLOOR_SAMPLE:
                break
        if len(documents) >= FLOOR_SAMPLE:
            break
    # Weight the sample like the whole: the first items of a kind are as likely to have file text as any.
    name = new_index_name() + "-floor"
    create_index(client, name, bulk_loading=True)
    try:
        for action in documents:
            action["_index"] = name
        started = time.perf_counter()
        for ok, info in streaming_bulk(client, documents, chunk_size=1000, raise_on_error=True):
            assert ok, info
        client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}}, request_timeout=300)
        client.indices.refresh(index=name, request_timeout=300)  # as the rebuild does
        return len(documents) / (time.perf_counter() - started)
    finally:
        client.indices.delete(index=name, ignore=[404])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=40, help="Files read for the extraction throughput.")
    parser.add_argument("--share", type=float, default=0.3, help="Share of live assets with file text.")
    parser.add_argument("--min-pages", type=int, default=5)
    parser.add_argument("--max-pages", type=int, default=20)
    parser.add_argument("--words", type=int, default=90, help="Words per page.")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    setup_django_as_in_production()
    from django.conf import settings

    from core.search import search_kinds
    from search.client import elasticsearch_configured, get_client
    from search.services import search_reindex

    if not elasticsearch_configured():
        print("ELASTICSEARCH_URL is not set: the reindex rate is Elasticsearch's.")
        return 2
    rng = random.Random(args.seed)
    bench_extraction(rng, args)

    with_text = attach_text(rng, args)
    from cms.models import Asset

    live = Asset.objects.live_for_partners().count()
    print(
        f"{with_text} of {live} live assets have file text ({with_text / max(live, 1):.0%}, "
        f"{args.min_pages}-{args.max_pages} pages of {args.words} words); Elasticsearch {settings.ELASTICSEARCH_URL}",
        flush=True,
    )
    floor = reindex_floor(get_client(), search_kinds())
    result = search_reindex()
    over = result.per_second < REINDEX_BUDGET_PER_S
    print(
        f"{'reindex with text':<20} {result.documents} documents in {result.seconds:.1f}s: {result.per_second:.0f}/s "
        f"(budget >= {REINDEX_BUDGET_PER_S:.0f}/s); floor (raw bulk of {FLOOR_SAMPLE} built documents) "
        f"{floor:.0f}/s; ratio {floor / result.per_second:.2f}x  {'UNDER BUDGET' if over else 'ok'}"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
