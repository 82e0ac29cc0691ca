"""Sentence alignment of two reports, for the side-by-side view."""

from __future__ import annotations

from reader.stories.compare import compare_reports, split_sentences

WIRE = (
    "Tugs pulled the ferry clear of the shoal late on Tuesday. Divers found no damage to the "
    "hull, the harbour master said. Services resumed on Wednesday. (Reuters)"
)
RESCRAPE = (
    "Tugs pulled the ferry clear of the shoal late on Tuesday. Divers found no damage to the "
    "hull, the harbour master said. An inquiry has been opened. Services resume on "
    "Wednesday. (Reuters)"
)


def _texts(body: str, spans: list[tuple[int, int]]) -> list[str]:
    return [body[s:e] for s, e in spans]


def test_sentences() -> None:
    body = (
        'PORT CALLAN: The ship struck at 7.40 a.m. in fog. "No one was hurt," said Mr. Brennock '
        "of the U.S. Coast Guard.\n\nA second paragraph without an end\n\nIt ended."
    )
    assert _texts(body, split_sentences(body)) == [
        "PORT CALLAN: The ship struck at 7.40 a.m. in fog.",
        '"No one was hurt," said Mr. Brennock of the U.S. Coast Guard.',
        "A second paragraph without an end",
        "It ended.",
    ]
    assert split_sentences("") == [] and split_sentences("  \n ") == []


def test_shared_only_a_only_b_in_reading_order() -> None:
    c = compare_reports(WIRE, RESCRAPE)
    rows = [
        (i.kind, WIRE[i.a[0] : i.a[1]] if i.a else None, RESCRAPE[i.b[0] : i.b[1]] if i.b else None)
        for i in c.items
    ]
    assert [r[0] for r in rows] == ["shared", "shared", "only_b", "shared", "shared"]
    assert rows[2][2] == "An inquiry has been opened."
    # "resumed" / "resume": one word changed is still the same sentence, scored below 1.
    changed = c.items[3]
    assert rows[3][1] == "Services resumed on Wednesday." and 0.8 <= changed.score < 1.0
    assert [i.score for i in c.items if i.kind == "shared"].count(1.0) == 3
    assert (len(c.shared), len(c.only_a), len(c.only_b)) == (4, 0, 1)


def test_case_space_and_quotes_do_not_matter() -> None:
    a = "He said “we will reopen”  on\nMonday."
    b = 'he said "we will reopen" on Monday.'
    (item,) = compare_reports(a, b).items
    assert (item.kind, item.score) == ("shared", 1.0)


def test_reports_in_other_words_share_nothing() -> None:
    a = "The council approved the tram line on Tuesday. Work starts in autumn."
    b = "Trams will run to Kestrel Park from 2027. Traders won rent relief."
    c = compare_reports(a, b)
    assert (len(c.shared), len(c.only_a), len(c.only_b)) == (0, 2, 2)
    assert [i.kind for i in c.items][:1] == ["only_b"] or c.items[0].kind == "only_a"


def test_b_only_sentences_follow_their_predecessor() -> None:
    a = "One. Two. Three."
    b = "Zero. One. Two and a half. Three."
    kinds = [
        (i.kind, b[i.b[0] : i.b[1]] if i.b else a[i.a[0] : i.a[1]])
        for i in compare_reports(a, b).items
    ]
    assert kinds == [
        ("only_b", "Zero."),
        ("shared", "One."),
        ("only_b", "Two and a half."),  # right after the B sentence before it
        ("only_a", "Two."),
        ("shared", "Three."),
    ]


def test_spans_count_code_points() -> None:
    a = "Fans waved 🇵🇰 flags. The team won."
    b = "The team won. Fans cheered."
    c = compare_reports(a, b)
    shared = c.shared[0]
    assert a[shared.a[0] : shared.a[1]] == "The team won."
    assert shared.a == (a.index("The"), len(a))
    assert c.counterpart((shared.a[0], shared.a[0] + 3)) == shared.b
    assert c.as_json()[0]["kind"] in ("only_a", "shared", "only_b")
