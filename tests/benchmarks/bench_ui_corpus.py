"""Synthetic dump folders for the window's benchmarks and screenshots.

Pages in the three shapes (ticker block, ` date … (AGENCY)` wire story, titled article), made of
invented companies, people, places and figures: nothing is copied from a real outlet. The same
seed gives the same pages, so a library built from them can be cached between runs.

The vocabulary is shaped like news: a few words on every page ("said", "percent", "market"),
topic words on a few percent of pages, and names (thousands of invented companies, people and
places) on a fraction of a percent, so searches behave as they would on a real dump.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

AGENCIES = ["Reuters", "AFP", "APP", "ANI", "AP", "PTI", "IANS", "Xinhua", "Kyodo"]
DATELINES = [
    "KARACHI",
    "LAHORE",
    "ISLAMABAD",
    "QUETTA",
    "PESHAWAR",
    "MULTAN",
    "HYDERABAD",
    "FAISALABAD",
    "SIALKOT",
    "GWADAR",
    "DUBAI",
    "COLOMBO",
    "DHAKA",
    "NAIROBI",
    "JAKARTA",
    "MANILA",
]
INDICES = ["KSE100", "KSE30", "KMI30", "BR100", "BR30", "ALLSHR"]
TOPICS = [
    "exports",
    "tariffs",
    "harvest",
    "budget",
    "pipeline",
    "shipments",
    "wages",
    "reserves",
    "rainfall",
    "bond yields",
    "freight rates",
    "orders",
    "power tariffs",
    "cotton arrivals",
    "remittances",
    "credit lines",
    "port charges",
    "fuel prices",
    "grain stocks",
    "fees",
    "dividends",
    "refinery margins",
    "cement despatches",
    "car sales",
    "fertiliser offtake",
    "textile orders",
    "rice exports",
    "tea auctions",
    "gold imports",
    "steel prices",
    "bank deposits",
    "treasury bills",
    "fish catches",
    "mango exports",
    "wheat procurement",
    "sugar stocks",
    "solar installations",
    "gas supplies",
    "rail freight",
    "airfares",
    "hotel bookings",
    "mobile subscriptions",
    "property prices",
    "pharmacy sales",
    "cotton yarn",
    "leather goods",
    "surgical instruments",
    "sports goods",
    "dairy output",
    "poultry feed",
    "edible oil",
    "tyre imports",
    "shipping fees",
    "warehouse rents",
]
INDUSTRIES = [
    "Cement",
    "Foods",
    "Power",
    "Textiles",
    "Pharma",
    "Shipping",
    "Fertiliser",
    "Bank",
    "Refining",
    "Motors",
    "Steel",
    "Telecom",
    "Mills",
    "Holdings",
    "Logistics",
    "Energy",
    "Glass",
    "Paper",
    "Chemicals",
    "Airways",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
VERBS = [
    "rose",
    "fell",
    "steadied",
    "slipped",
    "recovered",
    "held firm",
    "climbed",
    "eased",
    "doubled",
    "stalled",
]
_ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh",
           "kh", "br", "tr", "qu", "st", "gr"]  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u", "aa", "ei", "ou"]
_CODAS = ["", "n", "r", "l", "m", "sh", "t", "k", "s", "nd", "rk", "ll"]


def _word(r: random.Random, syllables: int) -> str:
    text = "".join(
        r.choice(_ONSETS) + r.choice(_VOWELS) + r.choice(_CODAS) for _ in range(syllables)
    )
    return text.capitalize()


@lru_cache(maxsize=4)
def vocabulary(seed: int = 1) -> dict[str, list[str]]:
    """Invented names, the same for the same seed."""
    r = random.Random(f"vocabulary-{seed}")

    def unique(make, n: int) -> list[str]:  # noqa: ANN001
        seen: dict[str, None] = {}
        while len(seen) < n:
            seen[make()] = None
        return list(seen)

    return {
        "companies": unique(lambda: f"{_word(r, 2)} {r.choice(INDUSTRIES)}", 2500),
        "given": unique(lambda: _word(r, r.randint(1, 2)), 600),
        "surnames": unique(lambda: _word(r, r.randint(2, 3)), 900),
        "places": unique(lambda: _word(r, r.randint(2, 3)), 400),
        "symbols": unique(lambda: _word(r, 2).upper()[: r.randint(3, 6)], 400),
    }


def _ticker_line(r: random.Random, symbol: str, index: bool) -> str:
    price = r.uniform(5000, 90000) if index else r.uniform(2, 1500)
    move = r.choice(["up", "up", "down", "down", "flat"])
    change = 0.0 if move == "flat" else r.uniform(0.01, price * 0.03)
    pct = change / price * 100
    price_text = f"{price:,.0f}" if index else f"{price:,.2f}"
    word, arrow, sign = {
        "up": ("Increased By", "▲", ""),
        "down": ("Decreased By", "▼", "-"),
        "flat": ("No Change", "▼", ""),
    }[move]
    arrow = "" if index else f" {arrow}"
    return f"{symbol} {price_text} {word}{arrow} {sign}{change:.2f} ({sign}{pct:.2f}%)"


class _Story:
    """The cast of one page: a few companies, people, places and topics it keeps coming back to."""

    def __init__(self, r: random.Random, seed: int) -> None:
        v = vocabulary(seed)
        self.r = r
        self.companies = r.sample(v["companies"], 3)
        self.people = [f"{r.choice(v['given'])} {r.choice(v['surnames'])}" for _ in range(3)]
        self.places = r.sample(v["places"], 2)
        self.topics = r.sample(TOPICS, 4)

    def sentence(self) -> str:
        r = self.r
        company, topic = r.choice(self.companies), r.choice(self.topics)
        person, place = r.choice(self.people), r.choice(self.places)
        day = r.choice(DAYS)
        forms = [
            f"The {topic} of {company} {r.choice(VERBS)} by {r.uniform(0.5, 40):.1f} percent in "
            f"the quarter, officials said on {day}.",
            f'"We expect {topic} to stay under pressure for some months," said {person}, who '
            f"follows {company} for a brokerage in {place}.",
            f"{company} said its {topic} {r.choice(VERBS)} after the provincial government "
            f"changed the rules on {r.choice(self.topics)}.",
            f"Traders in {place} watched {topic} closely, and {r.randint(2, 90)} firms asked for "
            f"more time to file, a spokesperson said on {day}.",
            f"The market for {topic} {r.choice(VERBS)} for a second week as buyers in {place} "
            f"waited for news from {company}.",
        ]
        return r.choice(forms)

    def paragraphs(self, n: int) -> list[str]:
        return [" ".join(self.sentence() for _ in range(self.r.randint(2, 4))) for _ in range(n)]


def page(i: int, seed: int = 1) -> str:
    """The text of synthetic page ``i`` (the same for the same ``i`` and ``seed``)."""
    r = random.Random(seed * 1_000_003 + i)
    story = _Story(r, seed)
    kind = i % 20
    if kind < 8:  # a ticker-block page
        symbols = vocabulary(seed)["symbols"]
        stocks = r.sample(symbols, r.randint(8, 24))
        block = [_ticker_line(r, s, False) for s in stocks]
        block += [_ticker_line(r, s, True) for s in r.sample(INDICES, r.randint(2, 5))]
        body = story.paragraphs(r.randint(3, 6))
        first = body[0][0].lower() + body[0][1:]
        body[0] = f"{r.choice(DATELINES)}: Shares of {r.choice(stocks)} moved as {first}"
        return (
            "\n".join(block) + "\n\n" + "\n\n".join(body) + "\n\nComments\n\nComments are closed.\n"
        )
    if kind < 15:  # a dated wire story
        date = f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        body = story.paragraphs(r.randint(3, 5))
        return f" date {date} " + "\n\n".join(body) + f" ({r.choice(AGENCIES)})\n"
    title = f"{story.companies[0]} weighs {story.topics[0]} as {story.topics[1]} {r.choice(VERBS)}"
    return title + "\n\n" + "\n\n".join(story.paragraphs(r.randint(3, 6))) + "\n"


def write_dump(folder: Path, n: int, *, seed: int = 1, per_folder: int = 1000) -> Path:
    """Write ``n`` synthetic pages under ``folder`` (``per_folder`` in each subfolder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        sub = folder / f"batch{i // per_folder:04d}"
        if i % per_folder == 0:
            sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}_{(i * 2654435761) % (1 << 64):016x}.txt").write_text(
            page(i, seed), encoding="utf-8"
        )
    return folder
