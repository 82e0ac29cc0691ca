"""Synthetic dump folders in the seed shapes, for benchmarks (never for the default test run).

Pages are made of invented words drawn by Zipf's law from 20,000, a tenth of them names, so the
full-text index and the story grouping see a vocabulary shaped like real news text: in their
first 500,000 words the pages have 19,800 distinct words and the 100 commonest make 44% of the
text, where the BBC corpus in ../shared has 19,900 and 46%. (The first generator drew from a
much steeper curve: 915 distinct words, the top 100 making 99% of the text, which made the
full-text index cheap and every page share its "rare" words with every other.) A third of the
pages are ticker-header pages, a third dated wire stories and a third titled articles, 2–5 KB
each like the real seeds.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

#: Bumped when the pages change, so cached dumps are written again.
VERSION = 3

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ten",
    "sa",
    "lo",
    "vin",
    "dra",
    "pe",
    "gul",
    "an",
    "shi",
    "tor",
    "ba",
    "ne",
    "quo",
    "ush",
    "el",
    "mar",
    "dim",
]
SYMBOLS = [
    "HBL",
    "OGDC",
    "PPL",
    "KEL",
    "TRG",
    "HUBC",
    "PSO",
    "MLCF",
    "LUCK",
    "ENGRO",
    "FFC",
    "MCB",
    "UBL",
    "SNGP",
    "SSGC",
    "PAEL",
    "NML",
    "DGKC",
    "FCCL",
    "EFERT",
]
INDICES = ["KSE100", "KSE30", "KMI30", "BR100", "ALLSHR"]
AGENCIES = ["Reuters", "AFP", "APP", "ANI", "AP"]
CITIES = ["KARACHI", "LAHORE", "ISLAMABAD", "TOKYO", "LONDON", "NEW YORK"]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 5))))
    ranked = sorted(words)
    rng.shuffle(ranked)  # by frequency rank: short words are not the common ones
    return ranked


def _word(rng: random.Random, vocab: list[str]) -> str:
    """A word by Zipf's law (rank r drawn with probability ∝ 1/r, as in real text); every
    tenth word is a name (capitalised, from the rarer half)."""
    rank = int(len(vocab) ** rng.random()) - 1
    if rng.random() < 0.1:
        return vocab[len(vocab) // 2 + rank // 2].capitalize()
    return vocab[rank]


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    n = rng.randint(8, 24)
    words = [_word(rng, vocab) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _typeset(rng: random.Random, sentence: str) -> str:
    """A sentence as scraped news sets it, typographically: a quarter of them a quote in curly
    quotes, and a name in ten with a curly apostrophe ("Karachi’s")."""
    words = [
        f"{word}’s" if word[0].isupper() and i and rng.random() < 0.1 else word
        for i, word in enumerate(sentence[:-1].split(" "))
    ]
    if rng.random() < 0.25:
        return f"“{' '.join(words)},” {rng.choice(['he', 'she', 'they'])} said."
    return " ".join(words) + "."


def _paragraphs(
    rng: random.Random, vocab: list[str], size: int, typographic: bool = False
) -> list[str]:
    paras, total = [], 0
    while total < size:
        sentences = [_sentence(rng, vocab) for _ in range(rng.randint(2, 5))]
        if typographic:
            sentences = [_typeset(rng, sentence) for sentence in sentences]
        para = " ".join(sentences)
        paras.append(para)
        total += len(para)
    return paras


def _ticker_line(rng: random.Random, symbol: str, index: bool) -> str:
    price = rng.uniform(1000, 90000) if index else rng.uniform(1, 300)
    move = rng.choice(["Increased By", "Decreased By", "No Change"])
    change = 0.0 if move == "No Change" else rng.uniform(0.01, price * 0.03)
    sign = "-" if move == "Decreased By" else ""
    pct = change / price * 100
    if index:
        return f"{symbol} {price:,.0f} {move} {sign}{change:.1f} ({sign}{pct:.2f}%)"
    arrow = "▲" if move == "Increased By" else "▼"
    return f"{symbol} {price:.2f} {move} {arrow} {sign}{change:.2f} ({sign}{pct:.2f}%)"


def page(rng: random.Random, vocab: list[str], n: int, paras: list[str] | None = None) -> str:
    """Page ``n`` of a dump (its shape is ``n % 3``), of new paragraphs or of ``paras``."""
    shape = n % 3
    paras = list(paras or _paragraphs(rng, vocab, rng.randint(1800, 4500)))
    if shape == 0:
        lines = [_ticker_line(rng, s, False) for s in rng.sample(SYMBOLS, rng.randint(8, 20))]
        lines += [_ticker_line(rng, s, True) for s in rng.sample(INDICES, 3)]
        paras[0] = f"{rng.choice(CITIES)}: {paras[0]}"
        return (
            "\n".join(lines)
            + "\n\n"
            + "\n\n".join(paras)
            + "\n\nComments\n\nComments are closed.\n"
        )
    if shape == 1:
        date = f"2024-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        return f" date {date} " + "\n\n".join(paras) + f" ({rng.choice(AGENCIES)})\n"
    title = _sentence(rng, vocab)[:-1][:120]
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def write_dump(
    folder: Path, count: int, seed: int = 7, rescrape_every: int = 0, typographic: bool = False
) -> Path:
    """Write ``count`` pages into ``folder`` (1,000 pages a sub-folder); reuse a complete one.

    With ``rescrape_every`` = k, every k-th page is a re-scrape of one of the 500 pages before
    it: the same paragraphs under another page's header (ticker lines, date line or title), as
    a scraper that fetched an article twice leaves it — near-duplicates the story grouping
    links, where the other pages share no event. With ``typographic``, the text has curly
    quotes and apostrophes (:func:`_typeset`), as most scraped news does: characters beyond
    Latin-1, which the pages' readers must not slow down on."""
    rescrapes = f"-r{rescrape_every}" if rescrape_every else ""
    typeset = "-t" if typographic else ""
    marker = folder / f".complete-{count}-{seed}{rescrapes}{typeset}-v{VERSION}"
    if marker.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)  # an older generator's pages
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    recent: list[list[str]] = []
    for n in range(count):
        sub = folder / f"part{n // 1000:03}"
        if n % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        if rescrape_every and n % rescrape_every == rescrape_every - 1 and recent:
            text = page(rng, vocab, n, rng.choice(recent))
        else:
            paras = _paragraphs(rng, vocab, rng.randint(1800, 4500), typographic)
            recent = [*recent[-499:], paras]
            text = page(rng, vocab, n, paras)
        (sub / f"{n:06}_{rng.getrandbits(64):016x}.txt").write_text(text, encoding="utf-8")
    marker.write_text("")
    return folder
