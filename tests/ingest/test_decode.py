"""Bytes → text: encodings, normalisation, refusals, the size limit and read errors."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import time

import pytest

from reader.ingest.decode import decode_bytes, normalise, read_page
from reader.ingest.page import RefusedFile
from reader.ingest.profiles import parse_page

MIB = 1024 * 1024
PAGE = "Harbour “reopens” after storm\n\nThe ferry’s first crossing costs £4 and runs at 06:00.\n"


def refused(data: bytes) -> str:
    with pytest.raises(RefusedFile) as info:
        decode_bytes(data)
    return info.value.reason


# --- normalise ------------------------------------------------------------------------------


def test_normalise_line_endings():
    assert normalise("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalise("\r\n\r\n") == "\n\n"


def test_normalise_drops_nul_controls_and_del_but_keeps_tab_and_newline():
    assert normalise("a\x00b\x01c\x08d\x0be\x0cf\x1bg\x1fh\x7fi\tj\nk") == "abcdefgh" + "i\tj\nk"


def test_normalise_keeps_clean_text_and_non_c0_characters():
    text = "plain\ttext\nwith “quotes”, £, \u00a0 and \u0085 (C1 is not C0)"
    assert normalise(text) is text


# --- encodings ------------------------------------------------------------------------------


def test_utf8():
    page = decode_bytes(PAGE.encode("utf-8"))
    assert (page.text, page.encoding) == (PAGE, "utf-8")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + PAGE.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + PAGE.encode("utf-16-be"), "utf-16"),
        (b"\xff\xfe\x00\x00" + PAGE.encode("utf-32-le"), "utf-32"),
        (b"\x00\x00\xfe\xff" + PAGE.encode("utf-32-be"), "utf-32"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_bom_decides(data, encoding):
    page = decode_bytes(data)
    assert page.encoding == encoding
    assert page.text == PAGE  # the BOM itself is not text


def test_utf16_le_bom_followed_by_nul_is_not_taken_for_utf32():
    # FF FE 00 00 is also UTF-16 LE BOM + U+0000; UTF-32 fails on the rest, UTF-16 reads it
    page = decode_bytes(b"\xff\xfe\x00\x00" + "hi there".encode("utf-16-le"))
    assert (page.text, page.encoding) == ("hi there", "utf-16")


def test_cp1252_pound_and_curly_quotes():
    data = "Tickets cost £12 – “cheap”, the club’s owner said.\n".encode("cp1252")
    page = decode_bytes(data)
    assert page.encoding == "cp1252"
    assert page.text == "Tickets cost £12 – “cheap”, the club’s owner said.\n"


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_cp1252_leaves_undefined_are_latin1(byte):
    page = decode_bytes(b"Price \xa3" + bytes([byte]) + b"5 today\n")
    assert page.encoding == "cp1252"
    assert page.text == "Price £" + chr(byte) + "5 today\n"


def test_mostly_non_ascii_legacy_text_goes_to_the_detector():
    text = "Министр встретился с коллегой в субботу и обсудил вопросы безопасности в регионе.\n"
    page = decode_bytes(text.encode("cp1251"))
    assert page.encoding == "cp1251"
    assert page.text == text


def test_mojibake_is_left_as_it_is():
    page = decode_bytes("A fee of Â£3m was agreed.\n".encode())
    assert page.text == "A fee of Â£3m was agreed.\n"


def test_crlf_and_lone_cr():
    assert decode_bytes(b"one\r\ntwo\r\n").text == "one\ntwo\n"
    assert decode_bytes(b"one\rtwo\r").text == "one\ntwo\n"
    assert decode_bytes("£1\r\n".encode("cp1252")).text == "£1\n"
    assert decode_bytes(b"\xff\xfe" + "a\r\nb".encode("utf-16-le")).text == "a\nb"


def test_nul_and_control_characters_are_dropped():
    data = b"A quiet\x00 day\x07 in the\x1b[0m market\x7f.\n" + b"x" * 200
    assert decode_bytes(data).text == "A quiet day in the[0m market.\n" + "x" * 200


def test_same_text_same_hash_whatever_the_encoding_and_line_endings():
    crlf = PAGE.replace("\n", "\r\n")
    variants = [
        PAGE.encode("utf-8"),
        b"\xef\xbb\xbf" + crlf.encode("utf-8"),
        b"\xff\xfe" + crlf.encode("utf-16-le"),
        b"\x00\x00\xfe\xff" + PAGE.encode("utf-32-be"),
        PAGE.replace("\n", "\r").encode("cp1252"),
    ]
    hashes = {decode_bytes(v).content_hash for v in variants}
    expected = "sha256:" + hashlib.sha256(PAGE.encode("utf-8")).hexdigest()
    assert hashes == {expected}


def test_hash_is_of_the_normalised_text():
    page = decode_bytes(b"a\x00b\r\n" + b"c" * 200)
    assert page.content_hash == "sha256:" + hashlib.sha256(b"ab\n" + b"c" * 200).hexdigest()


# --- refusals -------------------------------------------------------------------------------


def test_empty_file():
    assert refused(b"") == "empty file"


@pytest.mark.parametrize(
    "data",
    [
        b"   \n\n\t \r\n",
        b"\xef\xbb\xbf",
        b"\xff\xfe" + " \n".encode("utf-16-le"),
        b"\x01\x02 \x7f\n",
    ],
    ids=["spaces", "bom-only", "utf-16-spaces", "only-controls"],
)
def test_blank_file(data):
    assert refused(data) == "blank file (only white space)"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive, or a .docx/.xlsx/.odt/.epub"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "GZIP archive"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP image"),
        (b"\x00\x00\x00\x18ftypmp42", "MP4/QuickTime/HEIF media"),
    ],
)
def test_binary_magic_numbers(data, kind):
    assert refused(data) == f"binary file ({kind}), not a text page"


def test_windows_executable_needs_its_pe_header():
    exe = bytearray(b"MZ" + bytes(200))
    exe[0x3C:0x40] = (0x80).to_bytes(4, "little")
    exe[0x80:0x84] = b"PE\x00\x00"
    assert refused(bytes(exe)) == "binary file (Windows executable), not a text page"
    # "MZNPI" is an index name: a ticker page may start with it
    page = decode_bytes(b"MZNPI 1,234.50 Increased By 1.2 (0.1%)\n\nBody.\n")
    assert page.text.startswith("MZNPI")


def test_random_bytes_with_nuls():
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096)) + bytes(100)
    assert "NUL bytes in 3% of it" in refused(data)


def test_random_bytes_without_nuls_are_still_binary():
    rng = random.Random(8)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    reason = refused(data)
    assert reason.startswith("binary file (control bytes in ")


def test_utf16_without_bom_is_refused_by_the_nul_rule():
    assert refused("no mark here".encode("utf-16-le")) == (
        "binary file (NUL bytes in 50% of it), not a text page"
    )


def test_a_few_nuls_are_tolerated():
    data = b"word " * 100 + b"\x00\x00"  # 0.4 %
    assert decode_bytes(data).text == "word " * 100


def test_a_2mb_single_line_decodes_and_parses_quickly():
    data = ("lorem ipsum dolor sit amet, " * 75_000).encode() + b"\n"
    assert len(data) > 2_000_000
    start = time.perf_counter()
    page = decode_bytes(data)
    parsed = parse_page(page.text)
    elapsed = time.perf_counter() - start
    assert parsed.body == page.text.strip()
    assert parsed.title.endswith("…") and len(parsed.title) <= 100
    assert elapsed < 0.5


# --- read_page ------------------------------------------------------------------------------


def test_read_page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode("cp1252"))
    page = read_page(path)
    assert (page.text, page.encoding) == (PAGE, "cp1252")
    assert read_page(str(path), size=path.stat().st_size) == page


def test_over_the_limit_is_refused_before_reading(tmp_path):
    missing = tmp_path / "never-opened.txt"  # opening it would fail: it is not there
    with pytest.raises(RefusedFile) as info:
        read_page(missing, size=int(73.2 * MIB))
    assert info.value.reason == "file is 73.2 MiB, over the 50 MiB limit; raise it with --max-size"


def test_over_a_custom_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 3 * MIB)
    with pytest.raises(RefusedFile) as info:
        read_page(path, max_bytes=2 * MIB)
    assert info.value.reason == "file is 3.0 MiB, over the 2 MiB limit; raise it with --max-size"
    assert read_page(path, max_bytes=3 * MIB).text == "x" * 3 * MIB


def test_the_size_on_disk_wins_over_a_stale_scanned_size(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"y" * 5000)
    with pytest.raises(RefusedFile) as info:
        read_page(path, max_bytes=4096, size=100)  # the scan saw 100 bytes
    assert info.value.reason == "file is 4.9 KiB, over the 4 KiB limit; raise it with --max-size"


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: simulate the error the OS would give

        def deny(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr(os, "open", deny)
    with pytest.raises(RefusedFile) as info:
        read_page(path)
    assert info.value.reason == "cannot read: permission denied"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(RefusedFile, match="^cannot read: no such file$"):
        read_page(tmp_path / "gone.txt")
    with pytest.raises(RefusedFile, match="^cannot read: it is a folder$"):
        read_page(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_txt_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(RefusedFile, match="not a regular file"):
        read_page(fifo)


def test_empty_file_on_disk(tmp_path):
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(RefusedFile, match="^empty file$"):
        read_page(path)
