"""The library file's schema, as numbered migrations keyed by ``PRAGMA user_version``.

Each migration is a function registered in order; :func:`migrate` applies the missing ones, each in
its own transaction, and stamps ``user_version`` inside that transaction, so a crash half-way
leaves the file at the last complete version. A file whose version is newer than :data:`LATEST`
was written by a newer Dump Reader and is refused rather than guessed at. Before upgrading an
existing file, :mod:`reader.library.library` copies it aside.

Never edit a migration that has shipped; add a new one, then run ``scripts/snapshot_schema.py``:
a new library is made from that snapshot (:func:`create`), and a test checks it matches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a migration runs: opening an up-to-date library stays quick
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]
MIGRATIONS: list[Migration] = []

DEFAULT_ENTITY_TYPES = [
    # name, colour, key (1–9)
    ("PERSON", "#1f77b4", 1),
    ("ORG", "#2ca02c", 2),
    ("GPE", "#d62728", 3),
    ("LOC", "#9467bd", 4),
    ("EVENT", "#ff7f0e", 5),
    ("TICKER", "#17becf", 6),
]


def _script(db: sqlite_utils.Database, sql: str) -> None:
    """Run several statements inside the migration's transaction.

    ``executescript()`` would COMMIT first and run the rest outside the transaction, so a crash
    half-way would leave a half-built schema; this runs them one at a time instead.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {statement!r}")


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """Documents and their paths, ticker rows, annotations, entity types, tags, full-text index."""
    # Narrow rows for the list (sorting and filtering 100,000 of them stays fast); the large texts
    # live in document_texts.
    db["documents"].create(
        {
            "id": int,
            "content_hash": str,  # "sha256:…" of the raw text
            "title": str,
            "title_derived": int,
            "date": str,  # ISO date or NULL: never invented
            "dateline": str,
            "source": str,
            "encoding": str,
            "profile": str,
            "n_tickers": int,  # counts kept with the rows, so the list sorts on them in SQL
            "n_highlights": int,
            "n_entities": int,
            "imported_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"content_hash", "title"},
        defaults={"title_derived": 0, "n_tickers": 0, "n_highlights": 0, "n_entities": 0},
    )
    db["documents"].create_index(["content_hash"], unique=True)
    db["documents"].create_index(["date"])
    db["documents"].create_index(["source"])
    db["documents"].create_index(["title"])
    db["document_texts"].create(
        {
            "document_id": int,
            "raw": str,  # the decoded, normalised page, chrome included: the truth
            "body": str,  # derived by a profile: what is shown and what offsets point into
        },
        pk="document_id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"raw", "body"},
    )
    # WITHOUT ROWID: the path and the (document, position) keys are the tables' own order, so
    # imports write one B-tree per row instead of a table and an index.
    _script(db,
        """
        CREATE TABLE paths (
          path TEXT PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents (id),
          size INTEGER,
          mtime_ns INTEGER,
          seen_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX idx_paths_document_id ON paths (document_id);
        CREATE TABLE tickers (
          document_id INTEGER NOT NULL REFERENCES documents (id),
          position INTEGER NOT NULL,
          symbol TEXT NOT NULL,
          kind TEXT NOT NULL,
          price REAL,
          change REAL,
          change_pct REAL,
          direction TEXT NOT NULL,
          line TEXT,
          PRIMARY KEY (document_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX idx_tickers_symbol ON tickers (symbol);
        """
    )
    db["entity_types"].create({"name": str, "color": str, "key": int, "position": int}, pk="name")
    db["entity_types"].insert_all(
        {"name": n, "color": c, "key": k, "position": i}
        for i, (n, c, k) in enumerate(DEFAULT_ENTITY_TYPES)
    )
    db["annotations"].create(
        {
            "id": int,
            "document_id": int,
            "kind": str,  # "highlight" or "entity"
            "start": int,  # code points into documents.body, end exclusive
            "end": int,
            "exact": str,  # the quote selector
            "prefix": str,
            "suffix": str,
            "color": str,  # highlights
            "type": str,  # entity mentions: an entity_types.name
            "entity": str,  # entity mentions: the canonical entity name
            "note": str,
            "orphaned": int,  # 1 when a re-import could not find the quote again
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"document_id", "kind", "start", "end", "exact"},
        defaults={"orphaned": 0, "prefix": "", "suffix": ""},
    )
    db["annotations"].create_index(["document_id", "start"])
    db["annotations"].create_index(["entity"])
    db["tags"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["tags"].create_index(["name"], unique=True)
    db["document_tags"].create(
        {"document_id": int, "tag_id": int},
        pk=("document_id", "tag_id"),
        foreign_keys=[("document_id", "documents", "id"), ("tag_id", "tags", "id")],
    )
    db["document_tags"].create_index(["tag_id"])
    # Full-text index over title and body. External content (a view over the two tables), so
    # the text is stored once; the library writes the index rows itself in the same transaction
    # as the document (see Library._index_document).
    _script(db,
        """
        CREATE VIEW documents_fts_content AS
          SELECT d.id AS id, d.title AS title, t.body AS body
          FROM documents d JOIN document_texts t ON t.document_id = d.id;
        CREATE VIRTUAL TABLE documents_fts USING fts5(
          title, body, content='documents_fts_content', content_rowid='id',
          tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER annotations_count_ins AFTER INSERT ON annotations BEGIN
          UPDATE documents SET
            n_highlights = n_highlights + (new.kind = 'highlight'),
            n_entities = n_entities + (new.kind = 'entity')
          WHERE id = new.document_id;
        END;
        CREATE TRIGGER annotations_count_del AFTER DELETE ON annotations BEGIN
          UPDATE documents SET
            n_highlights = n_highlights - (old.kind = 'highlight'),
            n_entities = n_entities - (old.kind = 'entity')
          WHERE id = old.document_id;
        END;
        """
    )


@migration
def m002_folders(db: sqlite_utils.Database) -> None:
    """Folders the user imported, so the window can re-scan them and list recent ones."""
    db["folders"].create({"path": str, "added_at": str, "scanned_at": str}, pk="path")
    db.execute(
        "INSERT OR IGNORE INTO folders (path, added_at, scanned_at) "
        "SELECT DISTINCT rtrim(rtrim(path, replace(path, '/', '')), '/'),"
        " datetime('now'), datetime('now') FROM paths"
    )


@migration
def m003_entity_registry(db: sqlite_utils.Database) -> None:
    """The entity registry (name, type, aliases) and suggestions the user rejected.

    Mentions keep their canonical name in ``annotations.entity``; the registry remembers what was
    tagged so new pages get suggestions, and merging two entities turns one into an alias.
    """
    db["entities"].create(
        {"id": int, "name": str, "type": str, "created_at": str},
        pk="id",
        not_null={"name", "type"},
    )
    db.execute("CREATE UNIQUE INDEX idx_entities_name ON entities (name COLLATE NOCASE)")
    db["entity_aliases"].create(
        {"alias": str, "entity_id": int},
        pk="alias",
        foreign_keys=[("entity_id", "entities", "id")],
        not_null={"entity_id"},
    )
    db["entity_aliases"].create_index(["entity_id"])
    db["rejected_suggestions"].create(
        {"document_id": int, "start": int, "end": int, "text": str, "rejected_at": str},
        pk=("document_id", "start", "end"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    # Mentions tagged before the registry existed seed it.
    db.execute(
        "INSERT OR IGNORE INTO entities (name, type, created_at)"
        " SELECT entity, min(type), min(created_at) FROM annotations"
        " WHERE kind = 'entity' AND entity IS NOT NULL GROUP BY entity COLLATE NOCASE"
    )


@migration
def m004_stories(db: sqlite_utils.Database) -> None:
    """Stories: documents that report the same event, and the index that finds them.

    See :mod:`reader.stories.grouping`. Only groups of two or more documents are stories; a
    document that matches nothing has a signature row and no membership. Rows go with their
    document (ON DELETE CASCADE); index keys of a vanished document are skipped when met and
    dropped by the next rebuild.
    """
    # One statement at a time: executescript() would COMMIT the migration's transaction.
    for statement in (
        "CREATE TABLE stories (id INTEGER PRIMARY KEY, created_at TEXT, updated_at TEXT)",
        """CREATE TABLE story_members (
          document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
          link TEXT NOT NULL,   -- how it joined: "first", "near-duplicate" or "same-event"
          score REAL,           -- similarity to the member it joined through
          joined_via INTEGER    -- that member's document id
        )""",
        "CREATE INDEX idx_story_members_story_id ON story_members (story_id)",
        # One row per document the grouping has read, even when it found nothing to index:
        # content_hash tells a changed document from one already done. The rest is what
        # comparing it with a later page needs, so no body is read twice.
        """CREATE TABLE document_signatures (
          document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          content_hash TEXT NOT NULL,
          date TEXT,            -- the page's date, or its path's, when it was read (or NULL)
          sketch BLOB,          -- uint32 × ≤ 16: bottom-k MinHash of the body's sentences
          terms BLOB,           -- uint32 ids of its 48 heaviest TF-IDF terms, heaviest first
          weights BLOB,         -- float32 weights of those terms (L2-normalised)
          names BLOB            -- uint32 ids of those terms that are names
        )""",
        # The candidate index: kind 0, the three smallest sentence hashes of a document (near-
        # duplicates share them); kind 1, the pairs of its eight heaviest terms (same-event
        # candidates share one). Sentence keys are stored negated, so the two kinds never meet.
        # The key leads, so one `key IN (...)` lookup finds them all.
        """CREATE TABLE story_keys (
          key INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          document_id INTEGER NOT NULL,
          PRIMARY KEY (key, kind, document_id)
        ) WITHOUT ROWID""",
        # Small named values: the document-frequency sketch, the signature scheme.
        "CREATE TABLE story_state (name TEXT PRIMARY KEY, value BLOB)",
    ):
        db.execute(statement)


@migration
def m005_body_as_slice(db: sqlite_utils.Database) -> None:
    """Store a body that is a slice of the raw text as two offsets instead of a second copy.

    A profile's body is almost always one stretch of the raw page (the chrome cut off around
    it), so keeping it twice doubled what an import writes. ``body`` stays for the rare body
    that is not a slice; otherwise it is NULL and ``raw[body_start:body_end]`` (code points) is
    the body. Readers never see the difference: they read the ``document_bodies`` view.
    """
    _script(db,
        """
        DROP VIEW documents_fts_content;
        CREATE TABLE document_texts_v5 (
          document_id INTEGER PRIMARY KEY REFERENCES documents (id),
          raw TEXT NOT NULL,       -- the decoded, normalised page, chrome included: the truth
          body TEXT,               -- the body when it is not a slice of raw, else NULL
          body_start INTEGER,      -- else: the body is raw[body_start:body_end], code points
          body_end INTEGER,
          CHECK (body IS NOT NULL OR (body_start IS NOT NULL AND body_end IS NOT NULL))
        );
        INSERT INTO document_texts_v5 (document_id, raw, body, body_start, body_end)
          SELECT document_id, raw, body, NULL, NULL FROM document_texts;
        DROP TABLE document_texts;
        ALTER TABLE document_texts_v5 RENAME TO document_texts;
        UPDATE document_texts
          SET body_start = instr(raw, body) - 1,
              body_end = instr(raw, body) - 1 + length(body),
              body = NULL
          WHERE instr(raw, body) > 0 AND instr(raw, char(0)) = 0;
        CREATE VIEW document_bodies AS
          SELECT document_id,
                 coalesce(body, substr(raw, body_start + 1, body_end - body_start)) AS body
          FROM document_texts;
        CREATE VIEW documents_fts_content AS
          SELECT d.id AS id, d.title AS title, b.body AS body
          FROM documents d JOIN document_bodies b ON b.document_id = d.id;
        """
    )


@migration
def m006_fts_hash_size(db: sqlite_utils.Database) -> None:
    """Let the full-text index gather 16 MB of terms in memory before it writes a segment.

    FTS5's default (1 MB) makes a large import write and then merge many small segments;
    measured on 30,000 pages, 16 MB indexes them about 20% faster. The memory is only used
    while a transaction has that much text pending, which only an import does.
    """
    db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('hashsize', 16777216)")


@migration
def m007_story_keys_in_memory(db: sqlite_utils.Database) -> None:
    """Drop ``story_keys``: the story grouping's candidate index is now built in memory from
    ``document_signatures`` (see :mod:`reader.stories.index`); writing it row by row cost more
    than the rest of the grouping. The signatures and stories stay as they are."""
    db.execute("DROP TABLE IF EXISTS story_keys")


LATEST = len(MIGRATIONS)


#: Secondary indexes that only speed up reading (sorting the list, a symbol's history, a
#: document's paths). A bulk import into a nearly empty library drops them and builds each once
#: at the end, which is several times cheaper than updating them row by row; a library opened
#: with one missing (an import that was killed) gets it back from :func:`restore_indexes`.
#: Unique indexes are not here: they guard the data, so they are never dropped.
REBUILDABLE_INDEXES: dict[str, str] = {
    "idx_documents_date": "CREATE INDEX idx_documents_date ON documents (date)",
    "idx_documents_source": "CREATE INDEX idx_documents_source ON documents (source)",
    "idx_documents_title": "CREATE INDEX idx_documents_title ON documents (title)",
    "idx_paths_document_id": "CREATE INDEX idx_paths_document_id ON paths (document_id)",
    "idx_tickers_symbol": "CREATE INDEX idx_tickers_symbol ON tickers (symbol)",
}


def missing_indexes(conn: sqlite3.Connection) -> list[str]:
    """Names of :data:`REBUILDABLE_INDEXES` the file does not have."""
    marks = ",".join("?" * len(REBUILDABLE_INDEXES))
    present = {
        row[0]
        for row in conn.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
            list(REBUILDABLE_INDEXES),
        )
    }
    return [name for name in REBUILDABLE_INDEXES if name not in present]


def drop_indexes(conn: sqlite3.Connection) -> None:
    """Drop the rebuildable indexes (inside the caller's transaction)."""
    for name in REBUILDABLE_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def restore_indexes(conn: sqlite3.Connection) -> list[str]:
    """Create the rebuildable indexes that are missing (inside the caller's transaction)."""
    missing = missing_indexes(conn)
    for name in missing:
        conn.execute(REBUILDABLE_INDEXES[name])
    return missing


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def create(conn: sqlite3.Connection) -> bool:
    """Give an empty file the latest schema in one transaction, from the generated snapshot.

    Returns False (and does nothing) when the snapshot is not at :data:`LATEST` — a migration
    added without running ``scripts/snapshot_schema.py`` — so that :func:`migrate` builds it
    instead; a test makes sure that never ships. Replaying the migrations imports sqlite-utils
    and costs a tenth of a second; this costs a hundredth.
    """
    from reader.library import schema_snapshot as snap

    if snap.VERSION != LATEST:
        return False
    conn.execute("BEGIN IMMEDIATE")
    if user_version(conn):  # another process made it while this one waited for the lock
        conn.execute("ROLLBACK")
        return user_version(conn) == LATEST
    try:
        for statement in snap.STATEMENTS:
            conn.execute(statement)
        conn.executemany("INSERT INTO entity_types VALUES (?, ?, ?, ?)", snap.ENTITY_TYPES)
        conn.executemany(
            "INSERT INTO documents_fts (documents_fts, rank) VALUES (?, ?)", snap.FTS_CONFIG
        )
        conn.execute(f"PRAGMA user_version = {LATEST}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def migrate(conn: sqlite3.Connection, upto: int = LATEST) -> list[int]:
    """Apply the missing migrations up to ``upto``, each in its own transaction.

    Returns the versions applied. The connection must be in autocommit mode
    (``isolation_level=None``) so that the explicit ``BEGIN`` here is the only transaction.
    """
    if user_version(conn) >= upto:
        return []
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    applied = []
    for version in range(user_version(conn) + 1, upto + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](db)
            if not conn.in_transaction:  # a bug in the migration, not the user's problem
                raise RuntimeError(f"migration {version} ended its own transaction")
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(version)
    return applied
