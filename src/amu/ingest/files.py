"""Finding input files, reading their bytes and decoding them as UTF-8.

Every failure here is an :class:`~amu.errors.IngestError` whose message says what is wrong
and whose hint says how to fix it; the batch loop turns it into a
:class:`~amu.records.Rejection` and goes on.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from amu.errors import IngestError
from amu.records import Document, Rejection

SIDECAR_NAME = "meta.jsonl"
"""A file of this name in a folder holds metadata for the documents beside it."""

# Signatures of common binary formats people drop into a corpus folder by mistake, so the
# rejection can say what the file is and how to get text out of it ({name}: the file name).
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "PDF document", "convert it to text first, e.g. pdftotext {name} {name}.txt"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.odt/.xlsx)", "export it as plain text or HTML first"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document", "export it as plain text or HTML first"),
    (b"{\\rtf", "RTF document", "export it as plain text first"),
    (b"\x1f\x8b", "gzip archive", "decompress it first: gunzip {name}"),
    (b"\x89PNG", "PNG image", "run OCR or remove it from the folder"),
    (b"\xff\xd8\xff", "JPEG image", "run OCR or remove it from the folder"),
    (b"GIF8", "GIF image", "remove it from the folder"),
)
_HINT_BY_SUFFIX = {".pdf": "convert it to text first, e.g. pdftotext FILE.pdf FILE.txt",
                   ".docx": "export it as plain text or HTML first", ".doc": "export it as plain text or HTML first",
                   ".odt": "export it as plain text or HTML first", ".rtf": "export it as plain text first"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes that never occur in text: C0 controls other than tab, newlines and form feed, and DEL.
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x0B, 0x7F}
_BINARY_RATIO = 0.10  # share of control bytes above which a file is called binary


@dataclass
class IngestOptions:
    """Settings of the ingest stage.

    Attributes:
        max_bytes: Files larger than this are rejected (``--max-bytes`` raises it).
        follow_hidden: Also read hidden files and folders (names starting with ``.``).
        extensions: File endings read when walking a folder; other files there are skipped.
            A file named explicitly is read whatever its ending.
        store_file: The SQLite file Amu is writing, when it lies inside a folder being read
            ("amu ingest . --db amu.db"): it and its -wal, -shm and -journal files are passed over.
    """

    max_bytes: int = 5_000_000
    follow_hidden: bool = False
    extensions: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
    store_file: str | None = None   # the database being written: it and its journals are not reports


@dataclass
class IngestResult:
    """What one ingest call produced.

    Attributes:
        documents: The documents read, in input order, each text once.
        rejections: Every file or record that could not be read, with the reason.
        duplicates: ``(source, id)`` for each input whose text repeated a document already
            in ``documents``; the copy is not returned (see :func:`amu.ingest.iter_ingest`).
    """

    documents: list[Document]
    rejections: list[Rejection]
    duplicates: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A file to read. ``explicit`` is True when the user named the file itself."""

    path: Path
    explicit: bool


def discover(paths: Iterable[str | Path], options: IngestOptions) -> Iterator[Candidate | Rejection]:
    """Expand files and folders into the files to read, in a deterministic order.

    Folders are walked recursively with entries sorted by name; hidden entries are skipped
    unless ``options.follow_hidden``; only ``options.extensions`` are kept and sidecars are
    left out. A file reached twice (named and inside a named folder) is read once.

    Args:
        paths: Files and folders, as given by the user.
        options: Ingest settings.

    Yields:
        A :class:`Candidate` per file, or a :class:`Rejection` for a path that is missing.
    """
    seen: set[Path] = set()
    exts = tuple(e.lower() for e in options.extensions)
    own = {Path(options.store_file + tail).resolve() for tail in ("", "-wal", "-shm", "-journal")} \
        if options.store_file and "://" not in options.store_file and options.store_file != ":memory:" else set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, options.follow_hidden):
                if isinstance(found, Rejection):
                    yield found
                elif found.resolve() in own:
                    continue   # Amu's own database, not a report
                elif found.suffix.lower() in exts and found.name != SIDECAR_NAME:
                    key = found.resolve()
                    if key not in seen:
                        seen.add(key)
                        yield Candidate(found, explicit=False)
                elif found.name != SIDECAR_NAME:
                    # Never skipped in silence: a report saved as .pdf or .docx must not just vanish.
                    kind = found.suffix.lower() or "no extension"
                    yield Rejection(str(found), f"{kind} files are not read (Amu reads {' '.join(exts)}); "
                                                f"{_HINT_BY_SUFFIX.get(kind, 'save it as text or HTML to include it')}")
        elif path.exists():
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield Candidate(path, explicit=True)
        else:
            yield Rejection(str(path), "no such file or directory; check the path")


def _walk(folder: Path, follow_hidden: bool) -> Iterator[Path | Rejection]:
    """Yield the files under ``folder``, sorted, files of a folder before its subfolders.

    A subfolder that cannot be listed is yielded as a :class:`Rejection` rather than skipped
    in silence, so that a user can tell an unreadable folder from an empty one.
    """
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:
            exc = errors.pop(0)
            yield Rejection(str(exc.filename or root), f"cannot list folder ({exc.strerror or exc})")
        # Prune in place so os.walk neither enters hidden folders nor varies its order.
        dirs[:] = sorted(d for d in dirs if follow_hidden or not d.startswith("."))
        for name in sorted(files):
            if follow_hidden or not name.startswith("."):
                yield Path(root) / name
    for exc in errors:
        yield Rejection(str(exc.filename or folder), f"cannot list folder ({exc.strerror or exc})")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, enforcing the size limit before reading it.

    Args:
        path: The file.
        max_bytes: The largest size accepted.

    Returns:
        The file's bytes.

    Raises:
        IngestError: The file is too large, vanished, cannot be read, or is not a file.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Opening a pipe or device would block or never end.
            raise IngestError("not a regular file", "name text files or folders of them")
        size = info.st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grew since stat() is still caught.
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise IngestError("file not found (it vanished, or is a broken link)", "check the path and retry") from None
    except PermissionError:
        raise IngestError("permission denied", "make the file readable (chmod +r) or leave it out") from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file") from None
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _too_large(size: int, limit: int) -> IngestError:
    return IngestError(
        f"{format_size(size)} is over the {format_size(limit)} limit",
        "raise it with --max-bytes",
    )


def format_size(n: int) -> str:
    """Format a byte count for messages: ``20.0 MB``, ``12.5 kB``, ``300 bytes``."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def check_not_binary(data: bytes, name: str = "FILE") -> None:
    """Reject data that is not text at all.

    Args:
        data: Raw file content.
        name: The file name, used in the suggested fix.

    Raises:
        IngestError: The data has a known binary signature, NUL bytes, or many control bytes.
    """
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary file ({what})", hint.format(name=shlex.quote(name)))
    if data.startswith(_UTF16_BOMS):
        # UTF-16 is full of NUL bytes; saying "binary" would mislead.
        raise IngestError("UTF-16 text, not UTF-8", "re-encode as UTF-8: " + iconv_command("UTF-16", name))
    if b"\x00" in data:
        raise IngestError("binary file (contains NUL bytes)", "only text, Markdown, HTML and JSON files can be read")
    sample = data[:65536]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    if sample and controls / len(sample) > _BINARY_RATIO:
        raise IngestError("binary file (mostly non-text bytes)", "only text, Markdown, HTML and JSON files can be read")


def decode_utf8(data: bytes, name: str = "FILE") -> str:
    """Decode bytes as UTF-8, stripping a byte-order mark.

    Args:
        data: Raw file content.
        name: The file name, used in the suggested fix.

    Returns:
        The decoded text (not yet normalised).

    Raises:
        IngestError: The data is binary, empty, or not valid UTF-8; the message names the
            byte offset and the hint the ``iconv`` command that fixes it.
    """
    check_not_binary(data, name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid_utf8(data, exc, name) from None
    if not text.strip():
        raise IngestError("empty file", "the file holds no text; remove it or fill it")
    return text


def invalid_utf8(data: bytes, exc: UnicodeDecodeError, name: str = "FILE") -> IngestError:
    """Build the error for undecodable bytes, suggesting the likely source encoding."""
    offset = exc.start
    line = data.count(b"\n", 0, offset) + 1
    guess = guess_encoding(data)
    source = guess or "SOURCE-ENCODING"
    found = f"; it looks like {guess}" if guess else ""
    return IngestError(
        f"not valid UTF-8 (byte 0x{data[offset]:02X} at offset {offset}, line {line}){found}",
        "re-encode as UTF-8: " + iconv_command(source, name),
    )


def iconv_command(encoding: str, name: str) -> str:
    """The shell command that re-encodes file ``name`` from ``encoding`` to UTF-8."""
    stem, dot, suffix = name.rpartition(".")
    target = f"{stem}.utf8.{suffix}" if dot and stem else f"{name}.utf8"
    return f"iconv -f {encoding} -t UTF-8 {shlex.quote(name)} > {shlex.quote(target)}"


def guess_encoding(data: bytes) -> str | None:
    """Guess a legacy encoding with charset-normalizer, named as ``iconv`` spells it.

    Only used to word an error message: a guess is never used to decode, because a wrong
    guess would silently corrupt the text every offset refers to.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional at runtime: the message just loses its suggestion
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    return iconv_name(best.encoding)


def iconv_name(codec: str) -> str:
    """Translate a Python codec name (``cp1251``, ``iso8859_5``) to iconv's (``WINDOWS-1251``)."""
    codec = codec.lower()
    special = {"latin_1": "ISO-8859-1", "mac_cyrillic": "MACCYRILLIC", "utf_16": "UTF-16"}
    if codec in special:
        return special[codec]
    if codec.startswith("cp125"):
        return "WINDOWS-" + codec[2:]
    if codec.startswith("iso8859_"):
        return "ISO-8859-" + codec.split("_", 1)[1]
    return codec.upper().replace("_", "-")
