"""The ZIP itself: size, entries, names, types and bombs, checked before and while anything is extracted.

``archive_open`` checks everything the ZIP's directory declares (size of the upload, number of
entries, names that could escape the package, symlinks, encryption, declared sizes and
compression ratios, the file-type allow-list); ``entry_read`` then counts the real bytes of each
entry while extracting (a lying header cannot get more through than the limits) and looks at
its first bytes for executables, whatever its name says.
"""

import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings

import filetype

from .errors import PackageRejected
from .paths import safe_path

#: The web files a package may contain (the standards need nothing else).
ALLOWED_EXTENSIONS = frozenset(
    (
        *("html", "htm", "xhtml", "js", "mjs", "css", "map", "json", "xml", "xsd", "dtd", "xsl"),
        *("txt", "vtt", "srt", "csv"),
        *("png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico"),
        *("woff", "woff2", "ttf", "otf", "eot"),
        *("mp3", "m4a", "aac", "wav", "ogg", "oga", "opus", "ogv", "mp4", "m4v", "webm", "mov"),
        "pdf",
    )
)
#: Named for a clear message: programs and server-side scripts are never part of a package.
EXECUTABLE_EXTENSIONS = frozenset(
    (
        *("exe", "dll", "bat", "sh", "cmd", "com", "msi", "jar", "scr", "ps1", "vbs", "app", "bin", "so", "dylib"),
        *("php", "py", "pl", "cgi", "asp", "aspx", "jsp", "swf"),
    )
)
#: What real content may be (from its first bytes): media, fonts and PDF; ``None`` for text.
ALLOWED_SNIFFED_TYPES = ("image/", "audio/", "video/", "font/", "application/font-", "application/pdf")
#: Mach-O, which ``filetype`` does not know, and Java class files.
OTHER_EXECUTABLE_MAGIC = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
#: Left out without complaint: what macOS and Windows add to ZIPs they make.
IGNORED_PARTS = ("__MACOSX/",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
#: Ratios are checked on entries of at least this size (small text compresses very well, harmlessly).
RATIO_MIN_BYTES = 1024 * 1024
CHUNK = 64 * 1024


@dataclass
class Entry:
    info: zipfile.ZipInfo
    path: str  # the normalised path inside the package


@dataclass
class CheckedArchive:
    zip: zipfile.ZipFile
    entries: list[Entry] = field(default_factory=list)

    @property
    def paths(self) -> set[str]:
        return {entry.path for entry in self.entries}


def _limit(name: str) -> int:
    return getattr(settings, name)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_PARTS) or name.rsplit("/", 1)[-1] in IGNORED_NAMES


def _extension(path: str) -> str:
    leaf = path.rsplit("/", 1)[-1]
    return leaf.rsplit(".", 1)[-1].lower() if "." in leaf.strip(".") else ""


def _check_type(path: str) -> None:
    extension = _extension(path)
    leaf = path.rsplit("/", 1)[-1].lower()
    if extension in EXECUTABLE_EXTENSIONS or leaf in (".htaccess", ".htpasswd", "web.config"):
        raise PackageRejected(
            f"The package contains a program or server file ({path}); packages may only hold web files."
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise PackageRejected(
            f"The package contains a file type that is not allowed ({path}). Allowed: "
            + ", ".join(sorted(ALLOWED_EXTENSIONS))
            + "."
        )


def archive_open(file) -> CheckedArchive:
    """Open the uploaded ZIP and check its directory; raises ``PackageRejected``."""
    size = file.size
    if size > _limit("PARTNERHUB_PACKAGE_MAX_BYTES"):
        raise PackageRejected(
            f"The package is {_megabytes(size)}; the limit is {_megabytes(_limit('PARTNERHUB_PACKAGE_MAX_BYTES'))}."
        )
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
        raise PackageRejected("The file is not a ZIP archive (or it is damaged).") from error
    if len(infos) > _limit("PARTNERHUB_PACKAGE_MAX_FILES"):
        raise PackageRejected(
            f"The package has {len(infos)} entries; the limit is {_limit('PARTNERHUB_PACKAGE_MAX_FILES')}."
        )
    checked = CheckedArchive(zip=archive)
    seen, declared = set(), 0
    for info in infos:
        path = safe_path(info.filename.rstrip("/") if info.is_dir() else info.filename)
        if path is None:
            raise PackageRejected(f"The package has an entry that points outside it ({info.filename!r}).")
        if _is_symlink(info):
            raise PackageRejected(f"The package contains a symbolic link ({info.filename}); links are not allowed.")
        if info.flag_bits & 0x1:
            raise PackageRejected(f"The package is password-protected ({info.filename}); upload it unencrypted.")
        if info.is_dir() or _ignored(info.filename):
            continue
        if path in seen:
            raise PackageRejected(f"The package contains {path} twice.")
        seen.add(path)
        _check_type(path)
        declared += info.file_size
        if declared > _limit("PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES"):
            raise PackageRejected(_too_big_message())
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > _limit("PARTNERHUB_PACKAGE_MAX_RATIO") * max(
            info.compress_size, 1
        ):
            raise PackageRejected(
                f"The package looks like a ZIP bomb: {path} expands {info.file_size // max(info.compress_size, 1)}"
                f" times (the limit is {_limit('PARTNERHUB_PACKAGE_MAX_RATIO')})."
            )
        checked.entries.append(Entry(info=info, path=path))
    return checked


def _too_big_message() -> str:
    limit = _limit("PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES")
    return f"The package's content is larger than {_megabytes(limit)} once unpacked (a ZIP bomb?)."


class ByteBudget:
    """The bytes extracted so far across the archive, against the uncompressed limit."""

    def __init__(self):
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > _limit("PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES"):
            raise PackageRejected(_too_big_message())


def entry_read(archive: CheckedArchive, entry: Entry, budget: ByteBudget):
    """The entry's content in a temporary file (rewound), real bytes counted and first bytes checked."""
    spool = tempfile.SpooledTemporaryFile(max_size=RATIO_MIN_BYTES)  # noqa: SIM115 - the caller closes it
    written = 0
    try:
        with archive.zip.open(entry.info) as source:
            while chunk := source.read(CHUNK):
                if not written:
                    _check_content(entry.path, chunk)
                written += len(chunk)
                if written > entry.info.file_size:
                    raise PackageRejected(
                        f"The package's directory lies about the size of {entry.path} (a ZIP bomb?)."
                    )
                budget.spend(len(chunk))
                spool.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        spool.close()
        raise PackageRejected(f"The package is damaged: {entry.path} cannot be unpacked ({error}).") from error
    except NotImplementedError as error:
        spool.close()
        raise PackageRejected(f"The package uses a compression method the hub cannot read ({entry.path}).") from error
    except PackageRejected:
        spool.close()
        raise
    spool.seek(0)
    return spool


def archive_sniff(archive: CheckedArchive) -> None:
    """Look at the first bytes of every entry (before anything is stored): no executables, whatever the name."""
    for entry in archive.entries:
        try:
            with archive.zip.open(entry.info) as source:
                head = source.read(512)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise PackageRejected(f"The package is damaged: {entry.path} cannot be unpacked ({error}).") from error
        except NotImplementedError as error:
            raise PackageRejected(
                f"The package uses a compression method the hub cannot read ({entry.path})."
            ) from error
        _check_content(entry.path, head)


def _check_content(path: str, head: bytes) -> None:
    kind = filetype.guess(head)
    executable = head.startswith(OTHER_EXECUTABLE_MAGIC)
    if kind is not None and kind.extension != "eot" and not kind.mime.startswith(ALLOWED_SNIFFED_TYPES):
        executable = True
    if executable:
        what = f"{kind.extension} content" if kind else "a program"
        raise PackageRejected(f"The package contains {what} disguised as {path}; packages may only hold web files.")
