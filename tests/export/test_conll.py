"""``conll`` read back with an independent parser and BIO2 decoder (seqeval's rules)."""

from __future__ import annotations

from pathlib import Path

from reader.export import export
from reader.export.conll import tokenize

from .corpus import BODY_A, BODY_B, Corpus


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents → sentences → (token, tag), by the layout alone (no code of ours)."""
    text = path.read_bytes().decode("utf-8")
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if line == "":
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            continue
        fields = line.split("\t")
        assert len(fields) == 2, repr(line)
        assert fields[0] and not any(c.isspace() for c in fields[0]), repr(line)
        if fields[0] == "-DOCSTART-":
            assert fields[1] == "O" and not sentence
            docs.append([])
            continue
        sentence.append((fields[0], fields[1]))
    assert not sentence, "the file ends without a blank line"
    return docs


def get_entities(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, first, last) chunks of a BIO2 sequence; a stray I- starts a chunk, as in seqeval."""
    chunks: list[tuple[str, int, int]] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, type_ = tag.split("-", 1)
        if prefix == "I" and chunks and chunks[-1][0] == type_ and chunks[-1][2] == i - 1:
            chunks[-1] = (type_, chunks[-1][1], i)
        else:
            chunks.append((type_, i, i))
    return chunks


def _entities(sentences: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    found = []
    for sentence in sentences:
        tokens = [t for t, _ in sentence]
        for label, start, end in get_entities([tag for _, tag in sentence]):
            found.append((label, " ".join(tokens[start : end + 1])))
    return found


def test_layout_tags_and_entities(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "conll", None, out / "a.conll")
    raw = (out / "a.conll").read_bytes().decode("utf-8")
    assert raw.startswith("-DOCSTART-\tO\n\n") and raw.endswith("\n\n") and "\r\n" not in raw
    docs = read_conll(out / "a.conll")
    assert len(docs) == 4
    for sentences in docs:
        for sentence in sentences:
            previous = "O"
            for _, tag in sentence:  # BIO2: I- only continues the same type
                assert tag == "O" or tag[:2] in ("B-", "I-")
                if tag.startswith("I-"):
                    assert previous[2:] == tag[2:]
                previous = tag
    # The outer ORG wins over the nested GPE "US"; the mention across a line break is whole.
    assert _entities(docs[0]) == [
        ("GPE", "TOKYO"),
        ("PERSON", "Yoshimasa Hayashi"),
        ("ORG", "US Secretary of State"),
        ("PERSON", "Antony Blinken"),
        ("PERSON", "Hayashi"),
        ("GPE", "U . S ."),
    ]
    # Urdu words keep together; a word half inside a mention is split at the boundary.
    assert _entities(docs[1]) == [
        ("GPE", "Karachi"),
        ("PERSON", "بلاول بھٹو زرداری"),
        ("GPE", "Pakistan"),
        ("GPE", "Lahore"),
    ]
    tokens_b = [t for s in docs[1] for t, _ in s]
    assert tokens_b[tokens_b.index("Pakistan") + 1] == "is"
    assert "👍🏽" in tokens_b and "👨\u200d👩\u200d👧" in tokens_b  # emoji sequences stay whole
    # The orphaned highlight does not matter here; the two mentions of the changed page do.
    assert _entities(docs[3]) == [("PERSON", "Hayashi"), ("PERSON", "Blinken")]


def test_sentences(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "conll", [corpus.a], out / "a.conll")
    [sentences] = read_conll(out / "a.conll")
    firsts = [s[0][0] for s in sentences]
    assert firsts == ["TOKYO", "They", '"', "Prices"]  # "3.5" and "U.S." do not end one
    assert [t for t, _ in sentences[3]][-3:] == [".", "trading", "."]


def test_tokens_never_straddle_a_boundary() -> None:
    text = "xxAntonyyy Blinken's"
    cuts = [2, 8, 11, 18]
    spans = tokenize(text, cuts)
    for s, e in spans:
        assert not any(s < c < e for c in cuts)
    assert [text[s:e] for s, e in spans] == ["xx", "Antony", "yy", "Blinken", "'", "s"]


def test_bodies_round_trip_through_the_tokens(corpus: Corpus) -> None:
    for body in (BODY_A, BODY_B):
        pieces = tokenize(body)
        assert all(body[s:e].strip() == body[s:e] for s, e in pieces)
        rest = "".join(c for c in body if not c.isspace())
        assert "".join(body[s:e] for s, e in pieces) == rest
