"""The sample packages are real ZIPs with the files their manifests name."""

import io
import zipfile

from elearning import samples


def names(data: bytes) -> set[str]:
    return set(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_scorm12_sample_has_its_manifest_page_and_script():
    assert names(samples.scorm12_sco_zip()) == {"imsmanifest.xml", "index.html", "sco.js", "style.css"}


def test_scorm2004_sample_has_a_page_per_sco():
    assert {"sco-1/index.html", "sco-2/index.html", "shared/sco2004.js"} <= names(
        samples.scorm2004_multi_sco_zip(scos=2)
    )


def test_cmi5_sample_has_its_course_structure_and_au():
    assert names(samples.cmi5_au_zip()) == {"cmi5.xml", "au/index.html", "au/au.js", "au/style.css"}


def test_pages_carry_no_inline_script_or_style():
    for data in (samples.scorm12_sco_zip(), samples.scorm2004_multi_sco_zip(), samples.cmi5_au_zip()):
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in archive.namelist():
            if name.endswith(".html"):
                page = archive.read(name).decode()
                assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_the_lying_bomb_declares_a_small_size():
    info = zipfile.ZipFile(io.BytesIO(samples.zip_bomb_zip(megabytes=2, lying_header=True))).getinfo("padding.txt")
    assert info.file_size == 1024
    assert info.compress_size > 1024
