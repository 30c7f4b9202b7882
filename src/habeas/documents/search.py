"""Full-text search of document pages: one interface over SQLite FTS5 and PostgreSQL.

Query language (the same on both databases):

- ``word word`` — pages holding all the words (exact words, any case; no stemming —
  use ``murder*`` to find *murders* too);
- ``"exact phrase"`` — the words next to each other, in order;
- ``prefix*`` — any word starting with the prefix (``exonerat*``);
- ``-word`` / ``-"phrase"`` — pages without it.

Filters: the cases searched (a case, or the cases a user may see), document kind, document
date range, one document. Hits are pages, ranked (BM25 on SQLite, ``ts_rank_cd`` on
PostgreSQL), with a snippet in which the matched words are highlighted (made here in Python,
so both databases highlight alike) and the page number.

Ranking every match of a very common word costs time in proportion to the matches (about 2 µs
a page on SQLite): hits are ranked among the first ``DOCUMENTS_SEARCH_RANK_LIMIT`` (5 000)
pages that match and pass the filters, and counted up to that many; past it the UI says
"more than 5 000 pages match", so the user adds a word or a filter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"[^\W_]+", re.UNICODE)
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
MAX_TERMS = 16


class QueryError(ValueError):
    """The query has nothing to search for."""


@dataclass
class Term:
    words: list[str]  # lower-case alphanumeric runs
    prefix: bool = False  # the last word is a prefix
    negated: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    terms: list[Term]

    @property
    def positive(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    def fts5(self) -> str:
        def one(t: Term) -> str:
            s = '"' + " ".join(t.words) + '"'
            return s + "*" if t.prefix else s

        q = " AND ".join(one(t) for t in self.positive)
        for t in self.terms:
            if t.negated:
                q = f"({q}) NOT {one(t)}"
        return q

    def tsquery(self, *, without_pairs: bool = False) -> str:
        """The query as a tsquery; ``without_pairs``: leave out the positive two-word phrases,
        which the index of word pairs answers exactly (see :meth:`pairs_tsquery`)."""
        def one(t: Term) -> str:
            parts = list(t.words)
            if t.prefix:
                parts[-1] += ":*"
            return "(" + " <-> ".join(parts) + ")" if len(parts) > 1 else parts[0]

        positive = [t for t in self.positive if not (without_pairs and self._is_pair(t))]
        neg = [f"!{one(t)}" for t in self.terms if t.negated]
        return " & ".join([one(t) for t in positive] + neg)

    @staticmethod
    def _is_pair(t: Term) -> bool:
        return len(t.words) == 2 and not t.prefix and not t.negated


    def pairs_tsquery(self) -> str:
        """The adjacent word pairs of the positive phrases, ANDed, as a tsquery literal over
        ``search_pairs`` ('' when there is no phrase); a prefix word is not part of a pair."""
        pairs = []
        for t in self.positive:
            words = t.words[:-1] if t.prefix else t.words
            pairs += [f"{a} {b}" for a, b in zip(words, words[1:])]
        return " & ".join("'" + p.replace("\\", "\\\\").replace("'", "''") + "'" for p in dict.fromkeys(pairs))


def parse_query(q: str) -> ParsedQuery:
    """Read the query language above; raises :class:`QueryError` when nothing is left to search."""
    terms: list[Term] = []
    for m in TOKEN.finditer(q or ""):
        if m.group(2) is not None:  # "phrase"
            negated, raw, is_phrase = bool(m.group(1)), m.group(2), True
        else:
            negated, raw, is_phrase = bool(m.group(3)), m.group(4), False
        if raw.upper() in ("AND", "OR", "NOT") and not is_phrase:
            continue
        prefix = raw.rstrip().endswith("*")
        words = [w.lower() for w in WORD.findall(raw)]
        if not words:
            continue
        if is_phrase or len(words) > 1:
            terms.append(Term(words, prefix=prefix, negated=negated))
        else:
            terms.append(Term(words, prefix=prefix, negated=negated))
    terms = terms[:MAX_TERMS]
    if not any(not t.negated for t in terms):
        raise QueryError("nothing to search for: give at least one word, \"phrase\" or prefix*")
    return ParsedQuery(terms)


# --- highlighting (the same on both databases) --------------------------------------------------

def highlight_pattern(parsed: ParsedQuery) -> re.Pattern | None:
    """A regex for the text that the positive terms match (as the index tokenizes: words are
    alphanumeric runs, anything else between the words of a phrase)."""
    alts = []
    for t in parsed.positive:
        parts = []
        for i, w in enumerate(t.words):
            last = i == len(t.words) - 1
            if last and t.prefix:
                parts.append(re.escape(w) + r"[^\W_]*")
            else:
                parts.append(re.escape(w) + r"(?![^\W_])")
        alts.append(r"(?<![^\W_])" + r"[\W_]+".join(parts))
    if not alts:
        return None
    alts.sort(key=len, reverse=True)
    return re.compile("|".join(alts), re.IGNORECASE)


def snippet(text: str, pattern: re.Pattern | None, *, width: int = 240) -> SafeString:
    """An HTML-safe window of ``text`` around the densest cluster of matches, with <mark>."""
    text = " ".join(text.split())
    matches = list(pattern.finditer(text)) if pattern else []
    if matches:
        best, best_count = matches[0].start(), 0
        for m in matches:
            count = sum(1 for o in matches if m.start() <= o.start() < m.start() + width)
            if count > best_count:
                best, best_count = m.start(), count
        start = max(0, best - width // 3)
    else:
        start = 0
    if start:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < start + 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        sp = text.rfind(" ", start, end)
        end = sp if sp > start + width // 2 else end
    return mark_safe(("…" if start else "") + highlight(text[start:end], pattern) + ("…" if end < len(text) else ""))


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """HTML-escape ``text`` and wrap the matches of ``pattern`` in <mark>."""
    if pattern is None:
        return html.escape(text)
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(html.escape(text[pos:m.start()]))
        out.append("<mark>" + html.escape(m.group(0)) + "</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


# --- the search ---------------------------------------------------------------------------------

@dataclass
class Hit:
    page_id: int
    document_id: int
    page: int
    score: float
    title: str = ""
    kind: str = ""
    date: dt.date | None = None
    case_id: int | None = None
    case_caption: str = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def kind_label(self) -> str:
        from habeas.documents.models import Document

        return dict(Document.Kind.choices).get(self.kind, self.kind)

    def as_dict(self) -> dict:
        return {"document": self.document_id, "title": self.title, "kind": self.kind,
                "date": self.date.isoformat() if self.date else None, "case": self.case_id,
                "page": self.page, "score": float(f"{self.score:.4g}"),
                "snippet": re.sub(r"</?mark>", "**", html.unescape(str(self.snippet)))}


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int
    ranked_among: int = 0
    capped: bool = False  # more matches than DOCUMENTS_SEARCH_RANK_LIMIT: ranked among the first ones

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)


def _ids(cases) -> list[int]:
    return [c if isinstance(c, int) else c.pk for c in cases] if not hasattr(cases, "values_list") \
        else list(cases.values_list("pk", flat=True))


def _filters(cases, kind, date_from, date_to, document, privileged_cases=None):
    where, params = [], []
    if privileged_cases is not None:  # privileged documents only of these cases (access rule)
        allowed = _ids(privileged_cases)
        where.append("(NOT d.privileged" + (f" OR d.case_id IN ({','.join(['%s'] * len(allowed))}))"
                                             if allowed else ")"))
        params += allowed
    if cases is not None:
        ids = [c if isinstance(c, int) else c.pk for c in cases] if not hasattr(cases, "values_list") \
            else list(cases.values_list("pk", flat=True))
        if not ids:
            return None, None
        where.append(f"d.case_id IN ({','.join(['%s'] * len(ids))})")
        params += ids
    if kind:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        where.append(f"d.kind IN ({','.join(['%s'] * len(kinds))})")
        params += kinds
    if date_from:
        where.append("d.date >= %s")
        params.append(date_from)
    if date_to:
        where.append("d.date <= %s")
        params.append(date_to)
    if document:
        where.append("d.id = %s")
        params.append(document if isinstance(document, int) else document.pk)
    return where, params


def search(query: str, *, cases=None, kind=None, date_from=None, date_to=None, document=None,
           limit: int = 20, offset: int = 0, count: bool = True, privileged_cases=None) -> Results:
    """Search page text. ``cases``: a Case queryset, Case list or ids (None: every case — only
    for callers that checked access, see :func:`visible_cases`). ``privileged_cases``: the cases
    whose privileged documents may be searched (:func:`habeas.web.access.privileged_cases`);
    None: no such filter (callers that checked access)."""
    parsed = parse_query(query)
    where, params = _filters(cases, kind, date_from, date_to, document, privileged_cases)
    if where is None:
        return Results(query, [], 0)
    cap = int(getattr(settings, "DOCUMENTS_SEARCH_RANK_LIMIT", 5000))
    candidates, cand_params = _candidates(parsed, where, params, cap + 1)
    # one statement: the first cap + 1 matching pages that pass the filters (no ordering: the
    # scan stops there), counted, and the first `cap` of them ranked; only the shown rows are
    # joined to their document
    sql = (f"SELECT c.id, c.document_id, c.number, c.score, d.title, d.kind, d.date, d.case_id, c.total "
           f"FROM (SELECT r.id, r.document_id, r.number, r.score, count(*) OVER () AS total, "
           f"row_number() OVER () AS n FROM ({candidates}) r) c "
           f"JOIN documents_document d ON d.id = c.document_id "
           f"WHERE c.n <= {cap} ORDER BY c.score DESC, c.document_id, c.number LIMIT %s OFFSET %s")
    with transaction.atomic(), connection.cursor() as cur, _planner_settings(cur):
        cur.execute(sql, cand_params + [limit, offset])
        rows = cur.fetchall()
        if rows:
            total = rows[0][8]
        elif offset:  # paged past the end: count alone
            cur.execute(f"SELECT count(*) FROM ({candidates}) r", cand_params)
            total = cur.fetchone()[0]
        else:
            total = 0
    hits = [Hit(page_id=r[0], document_id=r[1], page=r[2], score=float(r[3]),
                title=r[4], kind=r[5], date=_as_date(r[6]), case_id=r[7]) for r in rows]
    _add_snippets(hits, parsed)
    return Results(query, hits, total, ranked_among=min(total, cap), capped=total > cap)


# PostgreSQL: with a LIMIT, the planner prefers to walk the page table (or a b-tree) and test
# each row's tsvector, which lives out of line (TOAST): for a word on a third of the pages that
# read 15 000 tsvectors where the GIN index answers in 5 ms. For the search statement only,
# sequential and plain index scans are made a last resort (bitmap scans of the GIN indexes
# remain) and JIT is off (its compilation alone costs more than the search).
PG_SEARCH_SETTINGS = {"enable_seqscan": "off", "enable_indexscan": "off", "jit": "off"}


@contextlib.contextmanager
def _planner_settings(cur):
    if connection.vendor != "postgresql":
        yield
        return
    names = list(PG_SEARCH_SETTINGS)
    cur.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
    before = dict(zip(names, cur.fetchone()))
    _set_local(cur, PG_SEARCH_SETTINGS)
    yield
    _set_local(cur, before)  # (on an error the savepoint's rollback undoes them)


def _set_local(cur, settings_: dict) -> None:
    cur.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings_),
                [x for kv in settings_.items() for x in kv])


def _candidates(parsed: ParsedQuery, where: list[str], params: list, n: int) -> tuple[str, list]:
    """SQL for the first ``n`` pages matching ``parsed`` that pass the filters, with their score
    (higher is better), as (id, document_id, number, score); and its parameters."""
    vendor = connection.vendor
    filters = "".join(f" AND {w}" for w in where)
    if vendor == "sqlite":
        # the FTS5 scan drives; each match is joined through the narrow index (id, document_id,
        # number) of documents_page, never its wide rows; bm25 (lower is better) only for the
        # rows kept
        return (f"SELECT p.id AS id, p.document_id AS document_id, p.number AS number, "
                f"-bm25(documents_page_fts) AS score FROM documents_page_fts "
                f"JOIN documents_page p ON p.id = documents_page_fts.rowid "
                f"JOIN documents_document d ON d.id = p.document_id "
                f"WHERE documents_page_fts MATCH %s{filters} LIMIT {n}", [parsed.fts5()] + params)
    if vendor == "postgresql":
        tsq = parsed.tsquery()
        pairs = parsed.pairs_tsquery()
        # phrases: first the pages holding every adjacent pair of the phrase (GIN on
        # search_pairs, see dbops: exact for a two-word phrase), then the test on search_vector
        # of what the pairs do not answer (words, prefixes, exclusions, longer phrases) on those
        # pages only: each test reads the page's out-of-line tsvector
        rest = parsed.tsquery(without_pairs=True) if pairs else tsq
        match = ["p.search_pairs @@ %s::tsquery"] * bool(pairs) + ["p.search_vector @@ to_tsquery('simple', %s)"] * bool(rest)
        return (f"SELECT p.id AS id, p.document_id AS document_id, p.number AS number, "
                f"ts_rank_cd(p.search_vector, to_tsquery('simple', %s)) AS score "
                f"FROM documents_page p JOIN documents_document d ON d.id = p.document_id "
                f"WHERE {' AND '.join(match)}{filters} LIMIT {n}",
                [tsq] + [pairs] * bool(pairs) + [rest] * bool(rest) + params)
    raise NotImplementedError(f"full-text search is not available on {vendor}")  # pragma: no cover


def _as_date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _add_snippets(hits: list[Hit], parsed: ParsedQuery) -> None:
    from habeas.cases.models import Case
    from habeas.documents.models import Page

    if not hits:
        return
    texts = dict(Page.objects.filter(pk__in=[h.page_id for h in hits]).values_list("pk", "text"))
    captions = dict(Case.objects.filter(pk__in={h.case_id for h in hits}).values_list("pk", "caption"))
    pattern = highlight_pattern(parsed)
    for h in hits:
        h.snippet = snippet(texts.get(h.page_id, ""), pattern)
        h.case_caption = captions.get(h.case_id, "")


def visible_cases(user):
    """Cases ``user`` may search: the one rule of :func:`habeas.web.access.visible_cases`."""
    from habeas.web.access import visible_cases as rule

    return rule(user)
