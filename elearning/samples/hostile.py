"""Hostile and broken packages the validation must refuse (with nothing stored)."""

import io
import stat
import struct
import zipfile

from .build import zip_bytes
from .scorm12 import scorm12_manifest

#: The smallest Linux executable header (ELF, 64-bit) and a Windows one (MZ + PE), padded.
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 40
PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x40\x00\x00\x00"
PE_HEADER += b"PE\x00\x00\x4c\x01" + b"\x00" * 58


def _manifest(href: str = "index.html", files=("index.html",)) -> str:
    """A valid SCORM 1.2 manifest, then its launch href and file list swapped for ``href`` / ``files``."""
    manifest = scorm12_manifest(title="Hostile", identifier="hostile", mastery_score=None)
    manifest = manifest.replace('href="index.html">', f'href="{href}">', 1)
    listed = "".join(f'<file href="{name}"/>' for name in files)
    start, end = manifest.index('      <file href="index.html"/>'), manifest.index("    </resource>")
    return manifest[:start] + listed + "\n" + manifest[end:]


def _page(title="Hostile") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><p>{title}</p></body></html>"


def not_a_zip() -> bytes:
    """Bytes that are no ZIP at all."""
    return b"This is a text file pretending to be a package.\n"


def missing_manifest_zip() -> bytes:
    """A ZIP of web files without imsmanifest.xml or cmi5.xml at its root (one is deeper, which does not count)."""
    return zip_bytes({"index.html": _page(), "course/imsmanifest.xml": _manifest()})


def manifest_outside_zip() -> bytes:
    """A manifest whose SCO launches ``../outside.html``, a file outside the package."""
    manifest = _manifest(href="../outside.html", files=("index.html",))
    return zip_bytes({"imsmanifest.xml": manifest, "index.html": _page()})


def manifest_missing_file_zip() -> bytes:
    """A manifest whose SCO launches a page the ZIP does not contain."""
    return zip_bytes({"imsmanifest.xml": _manifest(href="missing.html", files=("index.html",)), "index.html": _page()})


def traversal_zip(kind: str = "dotdot") -> bytes:
    """A valid package plus one entry escaping it; ``kind``: dotdot, absolute, backslash, drive or symlink."""
    base = {"imsmanifest.xml": _manifest(), "index.html": _page()}
    names = {
        "dotdot": "../../evil.html",
        "absolute": "/var/www/evil.html",
        "backslash": "..\\..\\evil.html",
        "drive": "C:/Windows/evil.html",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in base.items():
            archive.writestr(name, data)
        if kind == "symlink":
            link = zipfile.ZipInfo("link.html")
            link.create_system = 3  # Unix: the external attributes carry the file mode
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(link, "/etc/passwd")
        else:
            # ZipFile.writestr keeps the name as given in a ZipInfo (it only normalises os.sep).
            archive.writestr(zipfile.ZipInfo(names[kind]), _page("Evil"))
    return buffer.getvalue()


def zip_bomb_zip(*, megabytes: int = 8, lying_header: bool = False) -> bytes:
    """A valid package plus ``megabytes`` of zeros compressed a thousandfold.

    With ``lying_header`` the entry's declared uncompressed size (local header and central
    directory) says 1 KB, so only counting the real bytes, or the CRC, can catch it.
    """
    zeros = b"\x00" * (megabytes * 1024 * 1024)
    data = bytearray(
        zip_bytes(
            {
                "imsmanifest.xml": _manifest(files=("index.html", "padding.txt")),
                "index.html": _page(),
                "padding.txt": zeros,
            }
        )
    )
    if lying_header:
        _declare_size(data, b"padding.txt", 1024)
    return bytes(data)


def _declare_size(data: bytearray, name: bytes, size: int) -> None:
    """Overwrite the uncompressed size of entry ``name`` in its local header and central directory record."""
    end = data.rindex(b"PK\x05\x06")
    (offset,) = struct.unpack_from("<I", data, end + 16)
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        (local,) = struct.unpack_from("<I", data, offset + 42)
        if data[offset + 46 : offset + 46 + name_length] == name:
            struct.pack_into("<I", data, offset + 24, size)
            struct.pack_into("<I", data, local + 22, size)
        offset += 46 + name_length + extra_length + comment_length


def executable_zip(kind: str = "extension") -> bytes:
    """A valid package plus an executable: ``extension`` (setup.exe), ``elf`` (an ELF named helper.js)
    or ``pe`` (a Windows program named logo.png)."""
    extra = {
        "extension": ("setup.exe", PE_HEADER),
        "elf": ("helper.js", ELF_HEADER),
        "pe": ("logo.png", PE_HEADER),
    }[kind]
    manifest = _manifest(files=("index.html", extra[0]))
    return zip_bytes({"imsmanifest.xml": manifest, "index.html": _page(), extra[0]: extra[1]})
