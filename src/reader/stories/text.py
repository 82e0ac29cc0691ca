"""What the story grouping reads from a body: a sketch of its sentences and its weighted terms.

:func:`summarise` is a pure function of a body's text — cheap, picklable, safe to run in the
importer's worker processes — and *stable across processes*: what it returns is stored in the
library and compared with pages imported years later, so nothing in it comes from Python's
salted ``hash()``; sentences and words become integers through ``zlib.crc32``.

Two things are read:

* **A bottom-k MinHash of the body's sentences** (Broder 1997; Cohen & Kaplan 2007): the
  :data:`SKETCH` smallest CRC-32s of its sentences. Two pages' sketches estimate the Jaccard
  similarity of their sentence sets — exactly, for pages shorter than :data:`SKETCH` sentences.
  The same wire copy under another header shares every sentence; a re-scrape with one line
  added shares all but one; a report in other words shares none, and so does a templated
  market report whose figures changed. Sentence hashing costs a split and a CRC per sentence,
  a fifth of hashing word 3-shingles in pure Python, and separated the BBC corpus's re-published
  articles as well (``tests/stories/test_shared_corpus.py``).
* **The content terms of its lead** (the first :data:`LEAD_CHARS` characters — the who, what
  and where of a news story; later paragraphs are background that reports of other events
  share), lower-cased, without stop words, plurals folded (Harman's S stemmer), weighted
  ``1 + ln tf`` and doubled for names. :func:`vectors` applies the IDF — which needs the
  library's document frequencies, so the grouping calls it, for a batch of pages at once — and
  keeps the :data:`VECTOR_TERMS` heaviest. The IDF is not optional: the stop-word list is
  English, and a dump in another language (or the benchmark's invented one) would otherwise be
  all one story.
"""

from __future__ import annotations

import codecs
import math
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, filterfalse, repeat
from operator import eq, itemgetter, mul, ne
from types import ModuleType
from typing import TypeVar

import numpy as np

from reader.stories import compiled

#: Characters from the start of a body whose terms represent it.
LEAD_CHARS = 1500
#: Sentence hashes kept per page (bottom-k sketch)…
SKETCH = 16
#: …and, of those, the smallest, which key the near-duplicate index.
SENTENCE_KEYS = 3
#: Terms kept in a page's stored vector (the heaviest): the same-event cosine is over these.
VECTOR_TERMS = 48
#: Terms whose pairs key the same-event index.
KEYWORDS = 8
#: Weight factor of a term the page never writes in lower case (a name, mostly): reports of one
#: event share their people and places more than their wording.
NAME_BOOST = 2.0
#: Pseudo-documents in which no term occurs, added to every count: keeps weights nearly flat
#: while a library is small (a term in both of two pages is not worthless), fades by thousands.
IDF_PRIOR = 100

#: What the stored signatures depend on. A library read under another scheme is read again.
SCHEME = (
    f"6:lead{LEAD_CHARS}-sk{SKETCH}/{SENTENCE_KEYS}-v{VECTOR_TERMS}-k{KEYWORDS}"
    f"-n{NAME_BOOST}-p{IDF_PRIOR}"
)

WORD = re.compile(r"\w+")

_STOPWORD_TEXT = """
    a about above across after afterwards again against ago all almost alone along already also
    although always am among amongst an and another any anyone anything anyway anywhere are
    around as at back be became because become becomes been before being below beside besides
    between beyond both but by can cannot could did do does doing done down due during each
    either else elsewhere enough etc even ever every everyone everything except few for former
    formerly from further had has have having he hence her here hers herself him himself his
    how however i if in indeed into is it its itself just last later latter least less many may
    me meanwhile might mine more moreover most mostly much must my myself namely neither never
    nevertheless next no nobody none nor not nothing now nowhere of off often on once one only
    onto or other others otherwise our ours ourselves out over own per perhaps please put
    rather re same several she should since so some somehow someone something sometime
    sometimes somewhere still such than that the their theirs them themselves then thence there
    thereafter thereby therefore therein thereupon these they this those though through
    throughout thru thus to together too toward towards under until up upon us very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with
    within without would yet you your yours yourself yourselves
    said says say saying told tells tell added adding according reported reports report
    reporting reporters statement statements announced announce new news year years month
    months week weeks day days today yesterday tomorrow time times first second third two three
    four five six seven eight nine ten including include includes included people mr mrs ms dr
    percent cent made make makes making get got take took taken come came go went going
    like expected expects part set sets puts
"""
#: Function words and the vocabulary of news reporting itself: they say nothing about which
#: event a page reports, and leaving them out keeps small libraries (no useful document
#: frequencies yet) from grouping pages because they all "said" things.
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Single letters and digits ("s" of "China's", "5" of "5.4") go too.
_SKIP = STOPWORDS | frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")

_WORD_IDS: dict[str, int] = {}


def word_ids(words: Sequence[str]) -> list[int]:
    """A stable 31-bit integer per word (CRC-32), memoised for the process."""
    cache = _WORD_IDS
    ids = list(map(cache.get, words))
    if None in ids:
        if len(cache) > 1_000_000:  # a long-running process: forget, do not grow for ever
            cache.clear()
        for i, value in enumerate(ids):
            if value is None:
                word = words[i]
                value = cache[word] = zlib.crc32(word.encode("utf-8", "surrogatepass")) >> 1
                ids[i] = value
    return ids  # type: ignore[return-value]


def singular(word: str) -> str:
    """Harman's "S" stemmer (1991): ``councillors`` → ``councillor``, ``ferries`` → ``ferry``.

    Only plural endings, so reports that say "tram" and "trams" share the term; nothing that
    could join two different words.
    """
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith(("us", "ss")):
        return word
    return word[:-1]


def lead(body: str, chars: int = LEAD_CHARS) -> str:
    """The start of a body, about ``chars`` characters, cut at white space."""
    if len(body) <= chars:
        return body
    cut = body.rfind(" ", 0, chars)
    return body[: cut if cut > 0 else chars]


def sentence_sketch(body: str, k: int = SKETCH) -> array:
    """Bottom-``k`` MinHash of a body's sentences: their ``k`` smallest CRC-32s, ascending.

    White space and case are folded first; splitting at ". " is crude, but it is the same for
    both pages, which is all a comparison needs.
    """
    if body.isascii():  # lower-cased by the same translate
        text = body.encode("ascii").translate(_LOWER_SPACES)
    else:
        text = body.lower().encode("utf-8", "surrogatepass").translate(_SPACES)
    # b" ".join(text.split()), but splitting only at runs of spaces (paragraph breaks, mostly)
    # rather than making a bytes object of every word: a third of the time.
    text = b" ".join(filter(None, map(bytes.strip, text.split(b"  ")))).rstrip(b".")
    return array("I", sorted(set(map(zlib.crc32, text.split(b". "))))[:k])


#: The white space of ``bytes.split()`` made spaces (and, for ASCII, capitals small).
_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c", b"     ")
_LOWER_SPACES = _SPACES.lower()


def resemblance(a: Sequence[int], b: Sequence[int], k: int = SKETCH) -> float:
    """The Jaccard similarity of two sets estimated from their bottom-``k`` sketches (exact when
    both sets have fewer than ``k`` members)."""
    if not a or not b:
        return 0.0
    mine = set(a)
    union = sorted(mine.union(b))[:k]
    both = mine.intersection(b)
    return sum(map(both.__contains__, union)) / len(union)


@dataclass(frozen=True)
class Summary:
    """What grouping reads of a page before it knows the library's word frequencies."""

    sketch: array  # uint32: bottom-k sentence hashes, ascending (empty: no text)
    term_ids: list[int]  # the lead's distinct content terms (stable ids), in order of first use
    term_weights: list[float]  # (1 + ln tf), × NAME_BOOST for names: the IDF comes later
    name_ids: list[int]  # the terms that are names

    def pack(self) -> tuple[bytes, bytes, bytes, bytes]:
        """What :func:`summarise_packed` gives for the same body: four byte strings, the
        cheapest shape to send between processes (the sketch, the term ids, their counts as
        uint16, and one byte per term, 1 for a name). The counts are read back off the weights,
        which they determine."""
        names = set(self.name_ids)
        flags = bytes(map(names.__contains__, self.term_ids))
        counts = array(
            "H",
            (
                round(math.exp(w / (NAME_BOOST if flag else 1.0) - 1.0))
                for w, flag in zip(self.term_weights, flags, strict=True)
            ),
        )
        return (
            pack_array(self.sketch),
            pack_array(array("I", self.term_ids)),
            pack_array(counts),
            flags,
        )

    @classmethod
    def unpack(cls, packed: tuple[bytes, bytes, bytes, bytes]) -> Summary:
        ids = unpack_array("I", packed[1]).tolist()
        counts = unpack_array("H", packed[2]).tolist()
        return cls(
            unpack_array("I", packed[0]),
            ids,
            [_WEIGHTS[-tf if flag else tf] for tf, flag in zip(counts, packed[3], strict=True)],
            sorted(i for i, flag in zip(ids, packed[3], strict=True) if flag),
        )


def pack_array(values: array) -> bytes:
    """An array's bytes, little-endian whatever the machine (libraries move between them)."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def unpack_array(typecode: str, data: bytes | None) -> array:
    values = array(typecode)
    values.frombytes(data or b"")
    if sys.byteorder == "big":
        values.byteswap()
    return values


def summarise(body: str) -> Summary:
    """Read a body: its sentence sketch, and the weighted content terms of its lead.

    This runs for every imported page, so it is written for speed. A lead whose words are all
    ASCII (most news in English) is read as bytes by :func:`_ascii_terms`; any other by
    :func:`_unicode_terms`, which is the definition and which the bytes path equals exactly
    (``tests/stories/test_text.py`` holds both to the original implementation).
    """
    counts, names, ids, name_ids = _lead_terms(lead(body))
    for name in names:  # a negative count picks a name's boosted weight from the table
        counts[name] = -counts[name]
    weights = list(map(_WEIGHTS.__getitem__, counts.values()))
    name_ids.sort()
    return Summary(sentence_sketch(body), ids, weights, name_ids)


def summarise_packed(body: str) -> tuple[bytes, bytes, bytes, bytes]:
    """:meth:`Summary.pack` of :func:`summarise`, made without the :class:`Summary`: what an
    import's worker processes send for each page (the grouping weighs the counts itself, for a
    whole batch at once).

    Made by the compiled :mod:`reader.stories._summary` when it was built (a tenth of the
    time), which reads as the functions here do, bit for bit."""
    if _compiled is None:
        text = lead(body)
        sketch = pack_array(sentence_sketch(body))
    else:
        packed = _compiled.summarise(body, LEAD_CHARS, SKETCH)
        if packed is not None:
            # All of it in one call: an ASCII body, or one whose only characters beyond ASCII
            # are caseless and, in its lead, not word characters (curly quotes, dashes, "£").
            return packed
        # A capital beyond ASCII somewhere (then lower() is Unicode's), or a letter beyond
        # ASCII in the lead ("café": then the lead may have to be read as Unicode).
        text = lead(body)
        sketch = _compiled.sketch(body.lower().encode("utf-8", "surrogatepass"), SKETCH)
        data = _as_bytes(text)
        if data is not None:
            return (sketch, *_compiled.lead_terms(data))
    counts, names, ids, _ = _lead_terms(text)
    return (
        sketch,
        pack_array(array("I", ids)),
        pack_array(array("H", counts.values())),  # a lead has fewer words than 65,536
        bytes(map(names.__contains__, counts)),
    )


def _lead_terms(text: str) -> tuple[Counter, set, list[int], list[int]]:
    """A lead's counted terms and its names (:func:`_ascii_terms` or :func:`_unicode_terms`),
    with the ids of both."""
    data = _as_bytes(text)
    if data is not None:
        counts, names = _ascii_terms(data)
        # word_ids without its memo: an ASCII term is its own UTF-8, and the CRC of a short word
        # costs less than a look-up in a dict of every word seen, which misses the CPU's cache.
        ids = [crc >> 1 for crc in map(zlib.crc32, counts)]
        name_ids = [crc >> 1 for crc in map(zlib.crc32, names)]
        return counts, names, ids, name_ids
    counts_u, names_u = _unicode_terms(text)
    return counts_u, names_u, word_ids(list(counts_u)), word_ids(list(names_u))


def _unicode_terms(text: str) -> tuple[Counter[str], set[str]]:
    """A lead's content terms, counted, in order of first use; and which of them are names.

    Terms are lower case, without stop words, plurals folded into their stems. A name is a word
    the page never writes in lower case ("Hayashi", "KARACHI"), so a common word that merely
    opens a sentence ("Construction contracts…") is not one.
    """
    original = WORD.findall(text)
    counts = Counter(filterfalse(_SKIP.__contains__, map(str.lower, original)))
    distinct = set(original)
    names = set(map(str.lower, filter(str.istitle, distinct)))
    names.update(map(str.lower, filter(str.isupper, distinct)))
    names.difference_update(filter(str.islower, distinct))
    plurals = list(compress(counts, map(eq, map(_LAST, counts), repeat("s"))))
    _fold(counts, names, plurals, list(map(singular, plurals)))
    names.intersection_update(counts)
    return counts, names


def _as_bytes(text: str) -> bytes | None:
    """The text, one byte a character, if every word character in it is ASCII; else None.

    Latin-1 qualifies when its other characters are not word characters: a "£" parts words as a
    space does, and a quarter of BBC News leads have one. So does any text once its characters
    beyond Latin-1 that are not word characters are spaces: typographic quotes and dashes, "€",
    a ticker's arrows. Most scraped news sets its quotes that way ("don’t", “…”), and read as
    Unicode a lead cost ten times as much (190 µs a page, where an import parses one in ~80).
    """
    if text.isascii():
        return text.encode("ascii")
    try:
        data = text.encode("latin-1", _AS_SPACES)
    except UnicodeEncodeError:  # a word character beyond Latin-1: a word that is not ASCII
        return None
    return None if data.translate(None, _NOT_LATIN_LETTERS) else data


def _as_spaces(error: UnicodeError) -> tuple[str, int]:
    """An encoding's error handler: characters it cannot encode become spaces, unless one of
    them is a word character (then the error stands). A third of the time of a regular
    expression replacing them beforehand, since it only sees those few characters."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    if _BEYOND_LATIN_1_WORD.search(error.object, error.start, error.end):
        raise error
    return " " * (error.end - error.start), error.end


def _ascii_terms(data: bytes) -> tuple[Counter[bytes], set[bytes]]:
    """:func:`_unicode_terms` of a lead whose words are ASCII (see :func:`_as_bytes`), as bytes.

    The same terms, counts, order and names, in half the time. In ASCII ``\\w`` is
    ``[A-Za-z0-9_]`` and case is a byte's, so two ``translate``-and-``split`` give the words and
    their lower case for a fraction of the regex's cost; and only a word with a capital letter
    can be title or upper case, so the name tests run on those (a fifth of the words) rather
    than on every distinct word.
    """
    lower_text = data.translate(_LOWER_WORD_BYTES)
    lowered = lower_text.split()
    original = data.translate(_WORD_BYTES).split()
    counts = Counter(filterfalse(_SKIP_BYTES.__contains__, lowered))
    capitals = list(compress(original, map(ne, original, lowered)))
    forms = set(capitals)
    names = set(map(bytes.lower, filter(bytes.istitle, forms)))
    names.update(map(bytes.lower, filter(bytes.isupper, forms)))
    if lower_text.endswith(b"s") or b"s " in lower_text:
        plurals = list(compress(counts, map(eq, map(_LAST, counts), repeat(ord("s")))))
    else:
        plurals = []  # no word ends in "s": one search of the text instead of a test per term
    stems = list(map(_singular_bytes, plurals))
    if names:
        # Not a name if the page also writes it in lower case, that is if it occurs more often
        # than it is capitalised. Stop words are not counted; one matters only as the stem of
        # a plural ("thes" makes "the" a term, a name if the page has "The" but no "the"), and
        # only those are counted, the slow way.
        capitalised = Counter(map(bytes.lower, capitals))
        stopped = names.intersection(_SKIP_BYTES)
        names -= stopped
        names.difference_update([name for name in names if counts[name] > capitalised[name]])
        for stem in stopped.intersection(stems):
            if lowered.count(stem) == capitalised[stem]:
                names.add(stem)
    _fold(counts, names, plurals, stems)  # every name left is a term
    return counts, names


_Word = TypeVar("_Word", str, bytes)


def _fold(
    counts: Counter[_Word], names: set[_Word], plurals: list[_Word], stems: list[_Word]
) -> None:
    """Count each plural as its stem, which is a name if the plural was one.

    A stem the page does not use otherwise comes after every other term, as if counted apart:
    order of first use decides ties, so this order is part of the stored summaries.
    """
    for word, stem in zip(plurals, stems, strict=True):
        if stem != word:
            counts[stem] += counts.pop(word)
            if word in names:
                names.remove(word)
                names.add(stem)


_STEMS: dict[bytes, bytes] = {}


def _singular_bytes(word: bytes) -> bytes:
    """:func:`singular` of an ASCII word, memoised: plurals recur from page to page."""
    stem = _STEMS.get(word)
    if stem is None:
        if len(_STEMS) > 100_000:  # a long-running process: forget, do not grow for ever
            _STEMS.clear()
        stem = _STEMS[word] = singular(word.decode("ascii")).encode("ascii")
    return stem


_LAST = itemgetter(-1)
#: ``translate`` tables for :func:`_ascii_terms`: the characters ``WORD`` matches are kept (or
#: lower-cased), all others become spaces.
_WORD_BYTES = bytes(c if WORD.fullmatch(chr(c)) else 32 for c in range(128)) + b" " * 128
_LOWER_WORD_BYTES = _WORD_BYTES.lower()
#: All bytes but the Latin-1 letters (and digits) that ``WORD`` matches: deleting them leaves
#: nothing of a text :func:`_ascii_terms` can read.
_NOT_LATIN_LETTERS = bytes(c for c in range(256) if c < 128 or not WORD.fullmatch(chr(c)))
#: Characters beyond Latin-1 that ``WORD`` matches (see :func:`_as_bytes`).
_BEYOND_LATIN_1_WORD = re.compile(r"[^\W\x00-\xff]")
#: :func:`_as_spaces`, registered as an encoding error handler under this name.
_AS_SPACES = "reader.stories.text-as-spaces"
_SKIP_BYTES = frozenset(word.encode("ascii") for word in _SKIP)
#: ``1 + ln tf`` for every count a lead can have (it has no more words than characters), and at
#: ``-tf`` the same times NAME_BOOST: a look-up instead of a log, an add and a multiply per term.
_WEIGHTS = {tf: 1.0 + math.log(tf) for tf in range(1, LEAD_CHARS + 1)}
_WEIGHTS.update({-tf: weight * NAME_BOOST for tf, weight in list(_WEIGHTS.items())})


def weights_of(counts: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """The weights :func:`summarise` gives terms of these counts and name flags (packed), for
    many at once: ``1 + ln tf``, times :data:`NAME_BOOST` for a name."""
    return (1.0 + np.log(counts.astype(np.float64))) * np.where(flags, NAME_BOOST, 1.0)


def vectors(
    terms: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    df: np.ndarray,
    documents: int,
    k: int = VECTOR_TERMS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each page's ``k`` heaviest TF-IDF terms, heaviest first (ties: the earlier word), with
    their weights L2-normalised over those ``k`` — for many pages at once.

    ``terms`` and ``weights`` are the pages' :class:`Summary` term ids (uint32) and weights,
    laid end to end, ``lengths[i]`` of them page ``i``'s; ``df`` the document frequency of every
    term id masked to ``len(df) - 1`` (a power of two), out of ``documents``. Returns (kept,
    weights, bounds): ``kept`` indexes ``terms``, page ``i``'s kept terms being
    ``kept[bounds[i]:bounds[i + 1]]``; their weights (float32) likewise. One pass of array
    operations over the whole batch: per page, in Python, this was a sixth of the grouping's
    time.
    """
    n = len(lengths)
    bounds = np.zeros(n + 1, np.intp)
    np.cumsum(np.minimum(lengths, k), out=bounds[1:])
    if not bounds[-1]:
        return np.empty(0, np.intp), np.empty(0, np.float32), bounds
    page = np.repeat(np.arange(n), lengths)
    log_n = math.log(documents + IDF_PRIOR + 1)
    idfs = log_n - np.log(df[terms & np.uint32(len(df) - 1)].astype(np.float64) + 1.0)
    weights = weights * idfs  # ≥ 0: a term's df never exceeds documents
    # By page, then heaviest first, ties in order: one stable sort of a key that is the page
    # number less the weight scaled into [0, 1) (a third of the time of a two-key lexsort).
    order = np.argsort(page * 4.0 - weights / (weights.max() + 1.0), kind="stable")
    starts = np.cumsum(lengths) - lengths
    keep = order[np.arange(len(order)) - starts[page[order]] < k]
    kept_page, kept = page[keep], weights[keep]
    norms = np.sqrt(np.bincount(kept_page, weights=kept * kept, minlength=n))
    norms[norms == 0] = 1.0
    return keep, (kept / norms[kept_page]).astype(np.float32), bounds


def cosine(a: dict[int, float], b: dict[int, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    return sum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common)))


def _configured() -> ModuleType | None:
    """The compiled summary (:mod:`reader.stories.compiled`), told the words never terms."""
    module = compiled.load("_summary")
    if module is not None:
        module.configure(sorted(_SKIP_BYTES))
    return module


codecs.register_error(_AS_SPACES, _as_spaces)
_compiled = _configured()
