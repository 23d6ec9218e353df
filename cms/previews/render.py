"""Pictures of a file's pages from its bytes: no database, no storage (``services`` does both).

PDFs are rendered with pypdfium2 (PDFium, the engine of Chrome's viewer), images resized with Pillow, and
Office files (Word, PowerPoint, Excel) first turned into a PDF by LibreOffice headless when it is installed
(``soffice_path``: detected, never required). Every picture is a JPEG, at most ``width`` pixels wide.
"""

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

import pypdfium2 as pdfium
from PIL import Image, ImageOps

#: What Pillow may open (pixels): larger images are refused rather than decoded (decompression bombs).
MAX_IMAGE_PIXELS = 60_000_000
#: A page taller than this many times its width is cut off at that height (a long receipt, a banner).
MAX_ASPECT = 3

PDF_EXTENSIONS = frozenset({"pdf", "ai"})
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
OFFICE_EXTENSIONS = frozenset({"docx", "doc", "pptx", "ppt", "xlsx", "xls", "odt", "rtf"})


class PreviewError(Exception):
    """The file cannot be previewed (damaged, encrypted, too large, LibreOffice failed): the message says why."""


@dataclass
class Picture:
    data: bytes
    width: int
    height: int


def _jpeg(image: Image.Image, width: int) -> Picture:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
    if image.height > image.width * MAX_ASPECT:
        image = image.crop((0, 0, image.width, image.width * MAX_ASPECT))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return Picture(out.getvalue(), image.width, image.height)


def pdf_pages(data: bytes, *, pages: int, width: int) -> tuple[int, list[Picture]]:
    """The document's page count and pictures of its first ``pages`` pages, ``width`` pixels wide."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PreviewError(f"The PDF cannot be read ({error}).") from None
    try:
        pictures = []
        for index in range(min(len(document), pages)):
            page = document[index]
            scale = min(width / max(page.get_width(), 1), 4.0)
            pictures.append(_jpeg(page.render(scale=scale).to_pil(), width))
            page.close()
        return len(document), pictures
    finally:
        document.close()


def image_picture(data: bytes, *, width: int) -> Picture:
    """The image (its first frame), upright and at most ``width`` pixels wide."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            image.draft("RGB", (width, width * MAX_ASPECT))  # JPEGs decode at a smaller scale: fast
            return _jpeg(ImageOps.exif_transpose(image), width)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise PreviewError(f"The image cannot be read ({error}).") from None


def thumbnail_of(picture: Picture, *, width: int) -> Picture:
    with Image.open(io.BytesIO(picture.data)) as image:
        return _jpeg(image, width)


def soffice_path() -> str | None:
    """LibreOffice's ``soffice`` if it is installed (or ``PARTNERHUB_SOFFICE`` names it), else ``None``."""
    configured = settings.PARTNERHUB_SOFFICE
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_pdf(data: bytes, *, extension: str) -> bytes:
    """The Office file as PDF, by LibreOffice headless in a throwaway profile; ``PreviewError`` if it fails."""
    soffice = soffice_path()
    if soffice is None:
        raise PreviewError("LibreOffice is not installed.")
    with tempfile.TemporaryDirectory(prefix="partnerhub-soffice-") as folder:
        source = Path(folder) / f"file.{extension}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 - a fixed program and arguments, the file in a folder of our own
                command, capture_output=True, timeout=settings.PARTNERHUB_PREVIEW_SOFFICE_SECONDS, check=True
            )
        except subprocess.TimeoutExpired:
            raise PreviewError("LibreOffice took too long to convert the file.") from None
        except subprocess.CalledProcessError as error:
            raise PreviewError(f"LibreOffice could not convert the file (exit {error.returncode}).") from None
        result = Path(folder) / "file.pdf"
        if not result.exists():
            raise PreviewError("LibreOffice made no PDF of the file.")
        return result.read_bytes()
