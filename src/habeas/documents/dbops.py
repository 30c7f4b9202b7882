"""Database-specific parts of the full-text index (used by migration 0002 and post_migrate).

SQLite: an external-content FTS5 table ``documents_page_fts`` over ``documents_page.text``
(unicode61 tokenizer), kept in step by three triggers.
PostgreSQL: a generated ``tsvector`` column ``documents_page.search_vector`` ('simple'
configuration) with a GIN index. Both index lower-cased words, without stemming or stop words
(so that ``prefix*`` queries behave the same; a stemmer would index 'exonerated' as 'exoner'
and a prefix 'exonerat*' would miss it), and both split at punctuation, so 'F.3d' is the two
words 'f' '3d' on both.
"""

from __future__ import annotations

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS documents_page_fts USING fts5(
        text, content='documents_page', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS documents_page_fts_ai AFTER INSERT ON documents_page BEGIN
        INSERT INTO documents_page_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER IF NOT EXISTS documents_page_fts_ad AFTER DELETE ON documents_page BEGIN
        INSERT INTO documents_page_fts(documents_page_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER IF NOT EXISTS documents_page_fts_au AFTER UPDATE OF text ON documents_page BEGIN
        INSERT INTO documents_page_fts(documents_page_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO documents_page_fts(rowid, text) VALUES (new.id, new.text); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS documents_page_fts_ai",
    "DROP TRIGGER IF EXISTS documents_page_fts_ad",
    "DROP TRIGGER IF EXISTS documents_page_fts_au",
    "DROP TABLE IF EXISTS documents_page_fts",
]
PG_CREATE = [
    """ALTER TABLE documents_page ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
            regexp_replace(coalesce(text, ''), '[^[:alnum:]]+', ' ', 'g'))) STORED""",
    "CREATE INDEX IF NOT EXISTS documents_page_search_gin ON documents_page USING GIN (search_vector)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS documents_page_search_gin",
    "ALTER TABLE documents_page DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, PG_CREATE)


def ensure_index(connection) -> None:
    """Re-create the index if a table rebuild dropped it (SQLite ALTERs remake tables, which drops
    triggers); idempotent. Called after every migrate."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE name LIKE 'documents_page%%'"
                        .replace("%%", "%"))
            names = {r[0] for r in cur.fetchall()}
            if "documents_page" not in names:
                return
            missing = {"documents_page_fts", "documents_page_fts_ai", "documents_page_fts_ad",
                       "documents_page_fts_au"} - names
            if missing:
                for sql in SQLITE_CREATE:
                    cur.execute(sql)
                if "documents_page_fts" in missing or "documents_page_fts_ai" in missing:
                    cur.execute("INSERT INTO documents_page_fts(documents_page_fts) VALUES ('rebuild')")


class FullTextIndex(migrations.operations.base.Operation):
    """Create the vendor's full-text index of page text (FTS5 or tsvector + GIN)."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        create_index(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        _run(schema_editor, SQLITE_DROP if vendor == "sqlite" else PG_DROP if vendor == "postgresql" else [])

    def describe(self):
        return "Create the full-text index of document pages (SQLite FTS5 / PostgreSQL tsvector + GIN)"


# --- PostgreSQL: an index of adjacent word pairs, for phrases (migration 0006) -------------------
#
# GIN finds the pages holding every word of a phrase, but only the stored tsvector tells whether
# the words are next to each other: a phrase of common words ("state prison") made PostgreSQL
# read the (TOASTed) tsvector of some 80 000 candidate pages to keep 989. The pairs of words
# adjacent in `search_vector` (same positions, so the same notion of "next to") are indexed as
# lexemes 'state prison'; a phrase then first needs all its pairs in `search_pairs` (the GIN
# bitmap narrows to the pages that hold the phrase, or very nearly), and the exact phrase test on
# `search_vector` runs on those pages only. A page's pairs are taken from its tsvector, so no
# page that matches the phrase can lack them (a tsvector keeps at most 256 positions per word;
# the phrase test sees the same positions).
PG_PAIRS_CREATE = [
    """CREATE OR REPLACE FUNCTION documents_word_pairs(v tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
        FROM (SELECT t.lexeme, unnest(t.positions) AS pos FROM unnest(v) AS t) a
        JOIN (SELECT t.lexeme, unnest(t.positions) AS pos FROM unnest(v) AS t) b ON b.pos = a.pos + 1 $$""",
    """ALTER TABLE documents_page ADD COLUMN IF NOT EXISTS search_pairs tsvector
        GENERATED ALWAYS AS (documents_word_pairs(to_tsvector('simple'::regconfig,
            regexp_replace(coalesce(text, ''), '[^[:alnum:]]+', ' ', 'g')))) STORED""",
    "CREATE INDEX IF NOT EXISTS documents_page_pairs_gin ON documents_page USING GIN (search_pairs)",
    "ANALYZE documents_page",
]
PG_PAIRS_DROP = [
    "DROP INDEX IF EXISTS documents_page_pairs_gin",
    "ALTER TABLE documents_page DROP COLUMN IF EXISTS search_pairs",
    "DROP FUNCTION IF EXISTS documents_word_pairs(tsvector)",
]


class PhrasePairIndex(migrations.operations.base.Operation):
    """PostgreSQL: index adjacent word pairs of page text (phrase search); nothing on SQLite,
    whose FTS5 index keeps positions in the index itself."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            _run(schema_editor, PG_PAIRS_CREATE)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            _run(schema_editor, PG_PAIRS_DROP)

    def describe(self):
        return "Index adjacent word pairs of document pages for phrase search (PostgreSQL)"
