"""Bytes → page text: refuse what is not a text page, pick the encoding, normalise.

The order of the decisions is the one DUMP_FORMAT.md gives, because each later step is a guess
that the earlier ones make unnecessary for most files:

1. refuse empty files and known binary formats (magic numbers), before any decoding;
2. a byte-order mark decides (UTF-32 checked before UTF-16: ``FF FE 00 00`` starts with ``FF FE``);
3. otherwise NUL bytes in more than 1 % of the file mean a binary;
4. strict UTF-8 (almost every page: one C call, no detector);
5. text that is mostly ASCII is cp1252, with the five bytes cp1252 leaves undefined
   (0x81 0x8D 0x8F 0x90 0x9D) read as Latin-1. Detectors guess wrong on such text
   (charset-normalizer calls a BBC page with one Latin-1 ``£`` Japanese);
6. only where most bytes are non-ASCII, charset-normalizer's best guess.

Mojibake is left alone. A double-encoded pound sign (``Â£``: UTF-8 bytes read as cp1252 and
written again as UTF-8) stays as it is in the text. Repairing it needs a heuristic that
re-encodes parts of the text, and no rule we know is safe on every page (``Â£`` is legitimate
in a page about encodings, and a wrong repair destroys text). Since the library keeps this
decoded text as the raw page, a wrong "fix" here could never be undone; leaving it means a
safe repair can be added later as a display-side rule.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat

from reader.ingest.page import DecodedPage, RefusedFile

__all__ = ["DEFAULT_MAX_BYTES", "decode_bytes", "normalise", "read_page"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_MIB = 1024 * 1024

# Share of NUL bytes above which a file without a UTF-16/32 BOM is a binary (DUMP_FORMAT.md).
_MAX_NUL_SHARE = 0.01
# Share of other C0 control bytes above which a non-UTF-8 file is a binary. Random bytes hold
# about 11 % of them and only 0.4 % NULs, so the NUL rule alone lets them through; real text,
# even with a few stray escapes, stays far below this.
_MAX_CONTROL_SHARE = 0.05
# Above this share of non-ASCII bytes a page is not "mostly ASCII" and goes to the detector.
_MAX_NON_ASCII_SHARE = 0.5

# Known magic numbers, checked at offset 0. The label reads "binary file (<label>), ...".
# Bare "MZ" (DOS/Windows executables) is not here: "MZNPI" is a ticker index name that can
# start a page; executables are recognised by their PE header instead (see _sniff_binary).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, or a .docx/.xlsx/.odt/.epub"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "GZIP archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "ELF executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
)
_MAGIC_BY_FIRST_BYTE: dict[int, list[tuple[bytes, str]]] = {}
for _magic, _label in _MAGIC:
    _MAGIC_BY_FIRST_BYTE.setdefault(_magic[0], []).append((_magic, _label))
del _magic, _label
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

# Byte-order marks, longest-ambiguous first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

# Everything normalise() touches (\r included) and what it drops (\r excluded: it becomes \n).
_NEEDS_NORMALISING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# In these codecs a byte below 0x20 (or 0x7F) is always that character and nothing else, so a
# byte-level check (bytes.translate, ~5x faster than a regex over the text) proves the decoded
# text needs no normalising.
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_NORMALISED_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])

_CP1252_FALLBACK = "reader-cp1252-latin1"


def _latin1_for_undefined(exc: UnicodeError) -> tuple[str, int]:
    """Read the bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) as Latin-1."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_CP1252_FALLBACK, _latin1_for_undefined)


def normalise(text: str) -> str:
    """Turn \\r\\n and lone \\r into \\n; drop NUL, other C0 controls but tab and newline, DEL.

    Annotations are code-point offsets into text derived from this, so it must be the same on
    every platform and for every encoding the page arrived in. Clean text (the usual case) is
    returned unchanged after one regex scan.
    """
    if _NEEDS_NORMALISING.search(text) is None:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _DROPPED.sub("", text)


def decode_bytes(data: bytes) -> DecodedPage:
    """Decode a page file's bytes, or raise :class:`RefusedFile` saying why it is not a page.

    The content hash is taken over the normalised text, so the same page saved in another
    encoding or with other line endings is recognised as the same document.
    """
    if not data:
        raise RefusedFile("empty file")
    kind = _sniff_binary(data)
    if kind is not None:
        raise RefusedFile(f"binary file ({kind}), not a text page")
    decoded, encoding = _decode(data)
    if encoding in _ASCII_COMPATIBLE and len(data.translate(None, _NORMALISED_BYTES)) == len(data):
        text = decoded  # no control byte, so no control character: nothing to normalise
    else:
        text = normalise(decoded)
    if not text or text.isspace():
        raise RefusedFile("blank file (only white space)")
    if text is decoded and encoding == "utf-8":
        raw = data  # strict UTF-8 round-trips: skip re-encoding the text
    else:
        raw = text.encode("utf-8")
    return DecodedPage(
        text=text, encoding=encoding, content_hash="sha256:" + hashlib.sha256(raw).hexdigest()
    )


def read_page(
    path: os.PathLike[str] | str, max_bytes: int = DEFAULT_MAX_BYTES, size: int | None = None
) -> DecodedPage:
    """Read and decode one page file; every failure is a :class:`RefusedFile` with a reason.

    ``size`` is the size the caller already knows (from :func:`reader.ingest.scan.scan`); a
    file over ``max_bytes`` is refused before a byte of it is read. The file is opened
    non-blocking and must be a regular file, so a FIFO named ``x.txt`` cannot hang an import.
    At most ``max_bytes + 1`` bytes are read even if the file grows meanwhile.
    """
    if size is not None and size > max_bytes:
        raise RefusedFile(_too_big(size, max_bytes))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise RefusedFile(_read_error(exc)) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise RefusedFile("cannot read: it is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise RefusedFile("not a regular file (a device, pipe or socket)")
        if st.st_size > max_bytes:
            raise RefusedFile(_too_big(st.st_size, max_bytes))
        data = _read_capped(fd, st.st_size, max_bytes)
    except OSError as exc:
        raise RefusedFile(_read_error(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise RefusedFile(_too_big(len(data), max_bytes))
    return decode_bytes(data)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_capped(fd: int, expected: int, cap: int) -> bytes:
    """Read up to ``cap + 1`` bytes: enough to tell a file over the cap from one at it.

    Usually one ``read`` call: asking for one byte more than the size ``fstat`` gave and
    getting exactly that size means the end of the file, with no second call to see it.
    """
    parts: list[bytes] = []
    total = 0
    want = min(expected, cap) + 1
    while total <= cap:
        chunk = os.read(fd, min(want, cap + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if total == expected and len(chunk) < want:
            break
        want = 1024 * 1024
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_big(size: int, max_bytes: int) -> str:
    """ "file is 73.2 MiB, over the 50 MiB limit; raise it with --max-size"."""
    return (
        f"file is {_human(size)}, over the {_human(max_bytes, trim=True)} limit; "
        "raise it with --max-size"
    )


def _human(n: int, trim: bool = False) -> str:
    """A size in MiB or KiB with one decimal (dropped when ``trim`` and it is .0)."""
    for unit, scale in (("MiB", _MIB), ("KiB", 1024)):
        if n >= scale:
            text = f"{n / scale:.1f}"
            if trim and text.endswith(".0"):
                text = text[:-2]
            return f"{text} {unit}"
    return f"{n} bytes"


_ERRNO_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "symlink loop",
    errno.ENAMETOOLONG: "file name too long",
}


def _read_error(exc: OSError) -> str:
    """A short reason for people: "cannot read: permission denied"."""
    reason = _ERRNO_REASONS.get(exc.errno or 0)
    if reason is None:
        reason = (exc.strerror or str(exc)).lower()
    return f"cannot read: {reason}"


def _sniff_binary(data: bytes) -> str | None:
    """The kind of binary ``data`` starts like, or None. Cheap: prefix comparisons only."""
    for magic, label in _MAGIC_BY_FIRST_BYTE.get(data[0], ()):
        if data.startswith(magic):
            return label
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime/HEIF media"
    if data.startswith(b"ID3") and len(data) > 3 and data[3] in (2, 3, 4):
        return "MP3 audio"
    if data.startswith(b"MZ") and len(data) >= 0x40:
        pe = int.from_bytes(data[0x3C:0x40], "little")
        if data[pe : pe + 4] == b"PE\x00\x00":
            return "Windows executable"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    """Decode ``data`` (not empty, not a known binary); return the text and the codec's name."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec)
    nuls = data.count(0)
    if nuls > len(data) * _MAX_NUL_SHARE:
        share = max(1, round(100 * nuls / len(data)))
        raise RefusedFile(f"binary file (NUL bytes in {share}% of it), not a text page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > len(data) * _MAX_CONTROL_SHARE:
        share = round(100 * controls / len(data))
        raise RefusedFile(f"binary file (control bytes in {share}% of it), not a text page")
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    if non_ascii <= len(data) * _MAX_NON_ASCII_SHARE:
        return data.decode("cp1252", _CP1252_FALLBACK), "cp1252"
    return _decode_detected(data)


def _decode_with_bom(data: bytes, codec: str) -> tuple[str, str]:
    """Decode with the codec the BOM names (the codec drops the BOM itself).

    ``FF FE 00 00`` is also a UTF-16 LE BOM followed by U+0000, so a UTF-32 failure retries as
    UTF-16. A BOM is strong evidence: invalid sequences after it become U+FFFD rather than
    the whole page being refused.
    """
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        if codec == "utf-32" and data.startswith(codecs.BOM_UTF16_LE):
            try:
                return data.decode("utf-16"), "utf-16"
            except UnicodeDecodeError:
                pass
        return data.decode(codec, "replace"), codec


def _decode_detected(data: bytes) -> tuple[str, str]:
    """Mostly non-ASCII and not UTF-8: ask charset-normalizer (imported only when needed)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return data.decode("cp1252", _CP1252_FALLBACK), "cp1252"
    try:
        codec = codecs.lookup(best.encoding).name
    except LookupError:
        return data.decode("cp1252", _CP1252_FALLBACK), "cp1252"
    return data.decode(codec, "replace"), codec
