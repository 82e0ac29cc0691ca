"""Batched reading: the same documents as ``Library.document``, scopes resolved and checked."""

from __future__ import annotations

import dataclasses

import pytest

from reader.export import loading
from reader.export.loading import AnnotationRow, iter_documents, resolve_ids
from reader.library.errors import UsageError
from reader.library.records import Annotation

from .corpus import Corpus

FIELDS = [f.name for f in dataclasses.fields(Annotation)]


def _fields(ann: object, context: bool = True) -> tuple:
    values = {name: getattr(ann, name) for name in FIELDS}
    values["orphaned"] = bool(values["orphaned"])
    if not context:
        values["prefix"] = values["suffix"] = ""
    return tuple(values.values())


@pytest.mark.parametrize("chunk", [2, 500])
@pytest.mark.parametrize("context", [True, False])
def test_same_documents_as_the_library(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, chunk: int, context: bool
) -> None:
    monkeypatch.setattr(loading, "CHUNK", chunk)
    ids = [corpus.c, corpus.a, corpus.d, corpus.b, 999]
    docs = list(iter_documents(corpus.lib, ids, tickers=True, context=context))
    assert [d.id for d in docs] == ids[:4]  # in the order asked; unknown ids skipped
    for doc in docs:
        expected = corpus.lib.document(doc.id)
        plain = {f.name for f in dataclasses.fields(expected)} - {"annotations"}
        for name in plain:
            assert getattr(doc, name) == getattr(expected, name), name
        assert all(isinstance(a, AnnotationRow) for a in doc.annotations)
        by_position = sorted(expected.annotations, key=lambda a: (a.start, a.id))
        assert [_fields(a, context) for a in doc.annotations] == [
            _fields(a, context) for a in by_position
        ]


def test_resolve_ids(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "CHUNK", 2)
    lib = corpus.lib
    assert resolve_ids(lib) == corpus.ids
    assert resolve_ids(lib, ids=[corpus.d, corpus.a, corpus.d]) == [corpus.d, corpus.a]
    assert resolve_ids(lib, tag="pakistan") == [corpus.b]
    assert resolve_ids(lib, ids=[corpus.a, corpus.b], tag="pakistan") == [corpus.b]
    assert resolve_ids(lib, entity="ANTONY BLINKEN") == [corpus.a, corpus.c, corpus.d]
    with pytest.raises(UsageError, match="no document 98, 99 in"):
        resolve_ids(lib, ids=[corpus.a, 98, 99])
    with pytest.raises(UsageError, match="no document has the tag 'x'"):
        resolve_ids(lib, tag="x")
