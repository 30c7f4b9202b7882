"""Searches of a :class:`~habeas.dna.database.store.ProfileDatabase`.

Every search here works the same way: for each locus it builds one lookup table indexed by
the 2-byte stored genotype (``code1 + 256 * code2``, see :mod:`.store`) whose entry is that
genotype's contribution (a match flag, or a log10 likelihood ratio), then gathers the table
over the locus column of all profiles and sums over loci. A statistic that depends on the
candidate only through its genotype at each locus (single-source LR, kinship index, the
semi-continuous mixture LR with the candidate as a contributor) is therefore computed once
per distinct genotype per locus, not once per candidate; a 1 M-profile search costs
n_loci gathers of 1 M entries.

Searches
--------
``search_matches`` — CODIS-style match search with a stringency per locus
(FBI, *National DNA Index System (NDIS) Operational Procedures Manual*, "Search
stringency"; see also Butler, *Advanced Topics in Forensic DNA Typing: Methodology*, 2012,
ch. 8):

- ``high``: the candidate has exactly the query's alleles at the locus;
- ``moderate``: all alleles of one profile are contained in the other (query ⊆ candidate
  or candidate ⊆ query) — for partial or mixed query loci;
- ``low``: at least one allele is shared.

Loci not typed in the query or the candidate are not compared; a candidate is reported when
it was compared at ``min_loci`` loci or more with at most ``max_mismatches`` loci failing.

``search_lr`` — single-source LR ranking: LR = 1 / P(query genotype | θ) at every compared
locus where the candidate has the query genotype (NRC II eq. 4.10, Balding & Nichols 1994),
0 where it differs; frequencies through the rare-allele rule of :mod:`habeas.dna.genotype`.

``search_familial`` — kinship index of each candidate as a relative (parent–child, full
sibling, half sibling...) of the query's source, from the IBD probabilities (k0, k1, k2):
KI = k0 + k1·P(Q | C, one allele IBD)/P(Q) + k2·1[Q = C]/P(Q), Hardy–Weinberg
(Weir et al. 2006, Nat Rev Genet 7:771-780; Butler 2012 ch. 14). Parent–child gives the
familiar PI = 1/(4p) for a shared allele between two heterozygotes.

``search_mixture`` — each candidate as a contributor to a mixture (with drop-out and
drop-in) against the same number of unknowns, the SmartRank approach (Benschop et al.
2017, FSI:Genetics 29:145-153) on the LRmix model (:mod:`._splitdrop`).
"""

from __future__ import annotations

import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np

from habeas.dna.database._splitdrop import OUT, LocusModel
from habeas.dna.database.store import MISSING, ProfileDatabase
from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import DEFAULT_THETA, RareAlleleRule, check_theta, genotype_probability
from habeas.dna.loci import is_statistical
from habeas.dna.profile import Profile

STRINGENCIES = ("high", "moderate", "low")
#: IBD probabilities (k0, k1, k2) of common relationships (Weir et al. 2006, table 1).
RELATIONSHIPS = {
    "parent-child": (0.0, 1.0, 0.0),
    "full-sibling": (0.25, 0.5, 0.25),
    "half-sibling": (0.5, 0.5, 0.0),
    "grandparent": (0.5, 0.5, 0.0),
    "avuncular": (0.5, 0.5, 0.0),
    "first-cousin": (0.75, 0.25, 0.0),
}
_TABLE = 65536
Progress = Callable[[float, str], None]


# ---- results -------------------------------------------------------------------------------

@dataclass
class Hit:
    rank: int
    row: int
    id: str
    log10_lr: float | None = None
    loci_compared: int = 0
    loci_matched: int | None = None
    mismatches: int | None = None
    per_locus: dict[str, float] = field(default_factory=dict)

    @property
    def lr(self) -> float | None:
        if self.log10_lr is None:
            return None
        return 10.0 ** self.log10_lr if self.log10_lr < 308 else math.inf

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lr"] = self.lr
        for k in ("log10_lr", "lr"):
            if isinstance(d[k], float) and not math.isfinite(d[k]):
                d[k] = None if math.isnan(d[k]) else ("inf" if d[k] > 0 else 0.0)
        d["per_locus"] = {k: (v if math.isfinite(v) else None) for k, v in self.per_locus.items()}
        return d


@dataclass
class SearchResult:
    kind: str
    database: str
    n_searched: int
    hits: list[Hit]
    params: dict
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    n_passing: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "database": self.database, "n_searched": self.n_searched,
                "n_passing": self.n_passing, "elapsed_s": round(self.elapsed_s, 4),
                "params": self.params, "warnings": self.warnings,
                "hits": [h.to_dict() for h in self.hits]}


# ---- gather machinery ------------------------------------------------------------------------

def pair_index(c1, c2):
    """Index of the stored genotype (c1, c2) in a lookup table (the uint16 view of the pair)."""
    return (c1 + 256 * c2) if sys.byteorder == "little" else (256 * c1 + c2)


def _new_table(fill, dtype=np.float64) -> np.ndarray:
    return np.full(_TABLE, fill, dtype=dtype)


def _fill(table: np.ndarray, K: int, fn, missing_value) -> np.ndarray:
    """Set table[c1, c2] = fn(c1, c2) for 1 <= c1 <= c2 <= K; [0, 0] = missing_value."""
    table[pair_index(0, 0)] = missing_value
    for c1 in range(1, K + 1):
        for c2 in range(c1, K + 1):
            table[pair_index(c1, c2)] = fn(c1, c2)
    return table


def gather_sum(db: ProfileDatabase, tables: dict[int, np.ndarray], dtype=np.float64,
               rows: slice | None = None, threads: int = 2,
               progress: Progress | None = None) -> np.ndarray:
    """Σ over loci of ``tables[locus_index][genotype]`` for every profile (or ``rows``)."""
    start, stop = (0, len(db)) if rows is None else (rows.start or 0, rows.stop or len(db))
    n = stop - start
    out = np.zeros(n, dtype=dtype)
    if not tables or n == 0:
        return out
    items = list(tables.items())
    bounds = np.linspace(0, n, max(1, min(threads, n // 50_000 + 1)) + 1).astype(int)
    step = 1 << 18

    def work(a: int, b: int) -> None:
        for lo in range(a, b, step):
            hi = min(b, lo + step)
            acc = out[lo:hi]
            for li, t in items:
                g = np.ascontiguousarray(db.codes[li, start + lo:start + hi]).view(np.uint16)
                acc += np.take(t, g.reshape(-1))
            if progress is not None and a == 0:
                progress(min(1.0, hi / max(bounds[1], 1)), "searching")

    if len(bounds) > 2:
        with ThreadPoolExecutor(len(bounds) - 1) as ex:
            list(ex.map(lambda ab: work(*ab), zip(bounds[:-1], bounds[1:])))
    else:
        work(0, n)
    return out


def _query_codes(db: ProfileDatabase, query: Profile) -> dict[int, tuple[int, ...]]:
    """Locus index -> codes of the query's alleles (-1 for an allele the database never saw),
    for statistical loci typed (with at least one allele) in the query and present in db."""
    out = {}
    for locus, als in query.loci.items():
        if not is_statistical(locus) or not als:
            continue
        li = db.locus_index(locus)
        if li is None:
            continue
        out[li] = tuple(db.code_of(li, a) for a in als)
    return out


def _alleles_of(c1: int, c2: int) -> set[int]:
    return {c1, c2}


def _per_locus(db, tables, row) -> dict[str, float]:
    out = {}
    for li, t in tables.items():
        c1, c2 = int(db.codes[li, row, 0]), int(db.codes[li, row, 1])
        if c1 != MISSING:
            out[db.loci[li]] = float(t[pair_index(c1, c2)])
    return out


def _typed_count(db, lis: Sequence[int], threads=2) -> np.ndarray:
    tabs = {}
    for li in lis:
        t = _new_table(1, np.uint8)
        t[pair_index(0, 0)] = 0
        tabs[li] = t
    return gather_sum(db, tabs, np.uint8, threads=threads)


def _rank(db, score: np.ndarray, keep: np.ndarray, top: int | None, descending=True) -> np.ndarray:
    idx = np.flatnonzero(keep)
    if top is not None and top < len(idx):
        s = score[idx]
        part = np.argpartition(-s if descending else s, top - 1)[:top]
        idx = idx[part]
    s = score[idx]
    order = np.lexsort((idx, -s if descending else s))
    return idx[order]


def _lr_hits(db, tabs: dict[int, np.ndarray], threshold: float | None, top: int | None,
             min_loci: int, threads: int, progress: Progress | None,
             above: bool = False) -> tuple[list[Hit], int]:
    """Hits of a log10 LR search over per-locus ``tabs`` (best first) and the number of
    candidates passing: LR finite, at least ``min_loci`` (>= 1) loci compared, and
    LR >= ``threshold`` (LR > ``threshold`` with ``above``) when one is given."""
    score = gather_sum(db, tabs, threads=threads, progress=progress)
    compared = _typed_count(db, list(tabs), threads=threads)
    keep = np.isfinite(score) & (compared >= max(min_loci, 1))
    if threshold is not None:
        keep &= (score > math.log10(threshold)) if above else (score >= math.log10(threshold))
    rows = _rank(db, score, keep, top)
    hits = [Hit(rank=r, row=int(row), id=db.id_of(int(row)), log10_lr=float(score[row]),
                loci_compared=int(compared[row]), per_locus=_per_locus(db, tabs, int(row)))
            for r, row in enumerate(rows, 1)]
    return hits, int(keep.sum())


# ---- CODIS-style match search ----------------------------------------------------------------

def locus_matches(query: set, cand: set, stringency: str) -> bool:
    """The per-locus match rule of a stringency (see the module docstring)."""
    if stringency == "high":
        return query == cand
    if stringency == "moderate":
        return query <= cand or cand <= query
    if stringency == "low":
        return bool(query & cand)
    raise DNAError(f"unknown stringency {stringency!r} ({', '.join(STRINGENCIES)})")


def search_matches(db: ProfileDatabase, query: Profile, stringency: str = "high",
                   max_mismatches: int = 0, min_loci: int = 1, top: int | None = 100,
                   threads: int = 2, progress: Progress | None = None) -> SearchResult:
    """CODIS-style candidate match search (see module docstring). Hits are ordered by
    fewest mismatching loci, then most loci compared."""
    t0 = time.perf_counter()
    if stringency not in STRINGENCIES:
        raise DNAError(f"unknown stringency {stringency!r} ({', '.join(STRINGENCIES)})")
    if max_mismatches < 0 or min_loci < 0:
        raise DNAError("max_mismatches and min_loci must be >= 0")
    q = _query_codes(db, query)
    warnings = [f"{l}: typed in the query but not in database {db.name}; not compared"
                for l in query.loci if is_statistical(l) and query.loci[l] and db.locus_index(l) is None]
    fail_tabs = {}
    for li, qc in q.items():
        qs = set(qc)
        t = _new_table(0, np.uint8)
        _fill(t, len(db.alleles[li]),
              lambda c1, c2: 0 if locus_matches(qs, _alleles_of(c1, c2), stringency) else 1, 0)
        fail_tabs[li] = t
    mism = gather_sum(db, fail_tabs, np.uint8, threads=threads, progress=progress)
    compared = _typed_count(db, list(q), threads=threads)
    keep = (mism <= max_mismatches) & (compared >= max(min_loci, 1))
    score = compared.astype(np.int32) - 1000 * mism.astype(np.int32)
    rows = _rank(db, score, keep, top)
    hits = []
    for r, row in enumerate(rows, 1):
        hits.append(Hit(rank=r, row=int(row), id=db.id_of(int(row)),
                        loci_compared=int(compared[row]), mismatches=int(mism[row]),
                        loci_matched=int(compared[row]) - int(mism[row])))
    return SearchResult("match", db.name, len(db), hits,
                        {"stringency": stringency, "max_mismatches": max_mismatches,
                         "min_loci": min_loci, "top": top, "query": query.sample},
                        warnings, time.perf_counter() - t0, int(keep.sum()))


# ---- single-source LR ----------------------------------------------------------------------

def lr_tables(db: ProfileDatabase, query: Profile, table: FrequencyTable,
              theta: float = DEFAULT_THETA, rare_allele: RareAlleleRule = RareAlleleRule(),
              model: str = "nrc2_4.10") -> tuple[dict[int, np.ndarray], list[str]]:
    """Per-locus log10 LR tables of a single-source query: -log10 P(query genotype) for the
    matching genotype, -inf for every other typed genotype, 0 for untyped."""
    tabs, warnings = {}, []
    for li, qc in _query_codes(db, query).items():
        locus = db.loci[li]
        als = query.loci[locus]
        if len(als) > 2:
            raise DNAError(f"{locus}: the query shows {len(als)} alleles; a single-source LR "
                           "search needs a single-source query (use a mixture search)")
        t = _new_table(-np.inf)
        t[pair_index(0, 0)] = 0.0
        if locus not in table.freqs:
            warnings.append(f"{locus}: not in table {table.name}; used to exclude only")
            val = 0.0
        else:
            freqs = []
            for a in als:
                f, w = rare_allele.frequency(table, locus, a)
                freqs.append(f)
                if w:
                    warnings.append(w)
            val = -math.log10(genotype_probability(freqs, theta, model))
        if all(c > 0 for c in qc):
            c = sorted(qc)
            t[pair_index(c[0], c[-1])] = val
        tabs[li] = t
    return tabs, warnings


def search_lr(db: ProfileDatabase, query: Profile, table: FrequencyTable,
              theta: float = DEFAULT_THETA, rare_allele: RareAlleleRule = RareAlleleRule(),
              threshold: float | None = None, top: int | None = 10, min_loci: int = 1,
              model: str = "nrc2_4.10", threads: int = 2,
              progress: Progress | None = None) -> SearchResult:
    """Rank the database by the single-source LR of each candidate as the query's source
    (LR 0 for a candidate that differs at any compared locus). ``threshold``: report only
    LR >= threshold. ``min_loci``: loci compared (typed in both)."""
    t0 = time.perf_counter()
    theta = check_theta(theta)
    tabs, warnings = lr_tables(db, query, table, theta, rare_allele, model)
    hits, n_passing = _lr_hits(db, tabs, threshold, top, min_loci, threads, progress)
    return SearchResult("single-source LR", db.name, len(db), hits,
                        {"population": table.name, "theta": theta, "model": model,
                         "rare_allele": asdict(rare_allele), "threshold": threshold,
                         "top": top, "min_loci": min_loci, "query": query.sample},
                        warnings, time.perf_counter() - t0, n_passing)


# ---- familial ----------------------------------------------------------------------------------

def kinship_index(query: Sequence[str], cand: Sequence[str], freq: dict[str, float],
                  k: tuple[float, float, float]) -> float:
    """KI at one locus for query genotype ``query`` and candidate ``cand`` (1 or 2 alleles
    each; 1 = homozygote), IBD probabilities ``k`` = (k0, k1, k2), Hardy–Weinberg."""
    q = tuple(query) if len(query) == 2 else (query[0], query[0])
    c = tuple(cand) if len(cand) == 2 else (cand[0], cand[0])
    a, b = q
    pq = freq[a] ** 2 if a == b else 2 * freq[a] * freq[b]
    # one allele IBD: a random allele t of the candidate is passed on, the other is random
    p1 = 0.0
    for t in c:
        if a == b:
            p1 += 0.5 * (freq[a] if t == a else 0.0)
        else:
            p1 += 0.5 * ((freq[b] if t == a else 0.0) + (freq[a] if t == b else 0.0))
    p2 = 1.0 if sorted(q) == sorted(c) else 0.0
    return k[0] + k[1] * p1 / pq + k[2] * p2 / pq


def search_familial(db: ProfileDatabase, query: Profile, table: FrequencyTable,
                    relationship: str = "parent-child",
                    rare_allele: RareAlleleRule = RareAlleleRule(),
                    threshold: float | None = None, top: int | None = 10, min_loci: int = 1,
                    theta: float = 0.0, threads: int = 2,
                    progress: Progress | None = None) -> SearchResult:
    """Rank candidates by the kinship index for ``relationship`` (a key of
    :data:`RELATIONSHIPS` or a (k0, k1, k2) tuple). The per-genotype index comes from
    :func:`habeas.dna.kinship.locus_kinship_index` (θ-corrected when ``theta`` > 0),
    computed once per stored genotype per locus."""
    t0 = time.perf_counter()
    k = RELATIONSHIPS.get(relationship) if isinstance(relationship, str) else tuple(relationship)
    if k is None or len(k) != 3 or abs(sum(k) - 1) > 1e-9:
        raise DNAError(f"unknown relationship {relationship!r} ({', '.join(RELATIONSHIPS)})")
    theta = check_theta(theta)
    try:  # the single-source kinship module, when present
        from habeas.dna.kinship import Relationship
        from habeas.dna.kinship import locus_kinship_index as _locus_ki
        rel = Relationship(str(relationship), *k)
    except ImportError:  # pragma: no cover
        rel = _locus_ki = None
        if theta:
            raise DNAError("theta > 0 in a familial search needs habeas.dna.kinship")
    tabs, warnings = {}, []
    for li, qc in _query_codes(db, query).items():
        locus = db.loci[li]
        if locus not in table.freqs:
            warnings.append(f"{locus}: not in table {table.name}; not used")
            continue
        als = query.loci[locus]
        if len(als) > 2:
            raise DNAError(f"{locus}: the query shows {len(als)} alleles; familial search needs "
                           "a single-source query")
        freq = {}
        for a in set(als) | set(db.alleles[li]):
            try:
                freq[a], w = rare_allele.frequency(table, locus, a)
            except DNAError:
                freq[a] = rare_allele.fixed or 0.001
                w = f"{locus} allele {a}: no frequency; used {freq[a]}"
            if w and a in als:
                warnings.append(w)
        dba = db.alleles[li]

        def ki(c1: int, c2: int) -> float:
            cand = (dba[c1 - 1], dba[c2 - 1])
            v = (_locus_ki(cand, als, freq, rel, theta) if rel is not None
                 else kinship_index(als, cand, freq, k))
            return math.log10(v) if v > 0 else -math.inf

        t = _new_table(0.0)
        _fill(t, len(dba), ki, 0.0)
        tabs[li] = t
    hits, n_passing = _lr_hits(db, tabs, threshold, top, min_loci, threads, progress)
    return SearchResult("familial", db.name, len(db), hits,
                        {"population": table.name, "relationship": relationship, "ibd": k,
                         "theta": theta,
                         "rare_allele": asdict(rare_allele), "threshold": threshold,
                         "top": top, "min_loci": min_loci, "query": query.sample},
                        warnings, time.perf_counter() - t0, n_passing)


# ---- mixture (SmartRank-style) -----------------------------------------------------------------

@dataclass(frozen=True)
class MixtureParams:
    """Propositions and parameters of a mixture search.

    Hp: candidate + ``knowns`` + ``hp_unknowns`` unknowns; Hd: ``knowns`` +
    ``hd_unknowns`` unknowns. With ``contributors`` = N: hp_unknowns = N - 1 - len(knowns),
    hd_unknowns = N - len(knowns) (see :func:`mixture_params`).
    """

    hp_unknowns: int
    hd_unknowns: int
    candidate_dropout: float = 0.0
    hp_unknown_dropout: float = 0.0
    hd_unknown_dropout: float = 0.0
    known_dropouts: tuple[float, ...] = ()
    dropin: float = 0.05
    theta: float = DEFAULT_THETA
    rare_freq: float | None = None
    #: "Q designation" under Hp: True (default) lets the Hp unknowns carry any allele (the
    #: full LRmix sum, as habeas.dna.mixture). SmartRank shuts it down for Hp (its
    #: ProsecutionHypothesis; Hd keeps it): the Hp unknowns then carry only the evidence
    #: alleles (no known-contributor alleles, no pooled "other" allele), which lowers
    #: Pr(E|Hp). False reproduces SmartRank's LRs (validation cases to 4 digits).
    hp_q_designation: bool = True

    def __post_init__(self) -> None:
        check_theta(self.theta)
        for v, what in ((self.candidate_dropout, "drop-out"), (self.hp_unknown_dropout, "drop-out"),
                        (self.hd_unknown_dropout, "drop-out"), (self.dropin, "drop-in"),
                        *[(d, "drop-out") for d in self.known_dropouts]):
            if not 0.0 <= v < 1.0:
                raise DNAError(f"{what} probability must be in [0, 1), got {v}")
        if self.hp_unknowns < 0 or self.hd_unknowns < 1:
            raise DNAError("Hd needs at least one unknown contributor and Hp none or more")
        if self.hd_unknowns > 4:
            raise DNAError("at most 4 unknown contributors")
        if self.rare_freq is not None and not 0.0 < self.rare_freq < 1.0:
            raise DNAError("rare allele frequency must be in (0, 1)")


def mixture_params(contributors: int, n_knowns: int = 0, dropout: float = 0.0,
                   dropin: float = 0.05, theta: float = DEFAULT_THETA,
                   rare_freq: float | None = None,
                   known_dropout: float | None = None) -> MixtureParams:
    """Parameters from a number of contributors N (same under Hp and Hd) and one drop-out
    probability for the candidate and the unknowns (knowns: ``known_dropout``, default the
    same)."""
    if contributors < n_knowns + 1:
        raise DNAError(f"{contributors} contributors cannot hold the candidate and "
                       f"{n_knowns} known contributor(s)")
    kd = dropout if known_dropout is None else known_dropout
    return MixtureParams(hp_unknowns=contributors - 1 - n_knowns,
                         hd_unknowns=contributors - n_knowns, candidate_dropout=dropout,
                         hp_unknown_dropout=dropout, hd_unknown_dropout=dropout,
                         known_dropouts=(kd,) * n_knowns, dropin=dropin, theta=theta,
                         rare_freq=rare_freq)


def _freq_fn(table: FrequencyTable, locus: str, rare_freq: float | None):
    floor = rare_freq
    if floor is None:
        n = table.n_individuals.get(locus)
        floor = 5.0 / (2 * n) if n else 0.001
    freqs = table.freqs.get(locus, {})
    return (lambda a: freqs.get(a, floor)), freqs, floor


def mixture_locus_tables(db: ProfileDatabase, replicates: Sequence[Profile],
                         knowns: Sequence[Profile], table: FrequencyTable,
                         params: MixtureParams) -> tuple[dict[int, np.ndarray], list[str], dict]:
    """Per-locus log10 LR tables of every stored genotype as a contributor (see module
    docstring), the warnings, and per-locus details (S, Hd likelihood)."""
    if not replicates:
        raise DNAError("no evidence profile (replicate) given")
    if len(params.known_dropouts) != len(knowns):
        raise DNAError("give one drop-out probability per known contributor")
    loci: list[str] = []
    for rep in replicates:
        loci += [l for l in rep.loci if is_statistical(l) and l not in loci]
    tabs, warnings, details = {}, [], {}
    for locus in loci:
        li = db.locus_index(locus)
        if li is None:
            warnings.append(f"{locus}: typed in the evidence but not in database {db.name}; not used")
            continue
        if locus not in table.freqs:
            warnings.append(f"{locus}: not in table {table.name}; not used")
            continue
        p_of, freqs, floor = _freq_fn(table, locus, params.rare_freq)
        S: list[str] = []
        for rep in replicates:
            S += [a for a in rep.loci.get(locus, ()) if a not in S]
        for kp in knowns:
            S += [a for a in kp.loci.get(locus, ()) if a not in S and a in freqs]
        p = [p_of(a) for a in S]
        other = math.fsum(f for a, f in freqs.items() if a not in S)
        if other > 0:
            S.append("\x00other")
            p.append(other)
        index = {a: i for i, a in enumerate(S)}
        masks = [np.array([a in rep.loci.get(locus, ()) for a in S]) for rep in replicates]
        known_g = []
        for kp, d in zip(knowns, params.known_dropouts):
            g = tuple(index.get(a, OUT) for a in kp.loci.get(locus, ()))
            if len(g) > 2:
                raise DNAError(f"known contributor {kp.sample} shows {len(g)} alleles at {locus}")
            known_g.append((g, d))
        hd_model = LocusModel(S, p, masks, params.hd_unknowns, params.hd_unknown_dropout,
                              params.dropin, params.theta)
        hd = hd_model.likelihood(known_g)
        if params.hp_q_designation or not params.hp_unknowns:
            hp_index, hp_known_g = index, known_g
            hp_model = hd_model if (params.hp_unknowns == params.hd_unknowns and
                                    params.hp_unknown_dropout == params.hd_unknown_dropout) \
                else LocusModel(S, p, masks, params.hp_unknowns, params.hp_unknown_dropout,
                                params.dropin, params.theta)
        else:
            # Q designation shut down under Hp (as SmartRank): the unknowns carry only the
            # evidence alleles; every other allele of a typed person is OUT (drop-out only)
            n_rep = sum(1 for a in S if a != "\x00other" and any(a in rep.loci.get(locus, ())
                                                              for rep in replicates))
            S_hp = S[:n_rep]
            hp_index = {a: i for i, a in enumerate(S_hp)}
            hp_known_g = [(tuple(hp_index.get(a, OUT) for a in kp.loci.get(locus, ())), d)
                          for kp, d in zip(knowns, params.known_dropouts)]
            hp_model = LocusModel(S_hp, p[:n_rep], [m[:n_rep] for m in masks],
                                  params.hp_unknowns, params.hp_unknown_dropout,
                                  params.dropin, params.theta)
        if hd <= 0:
            # the evidence cannot occur under Hd (e.g. a known contributor's allele is missing
            # and its drop-out is 0): the LR is undefined for every candidate typed here
            warnings.append(f"{locus}: the evidence is impossible under Hd (likelihood 0): "
                            "LR undefined; candidates typed at this locus are not ranked")
            t = _new_table(np.nan)
            t[pair_index(0, 0)] = 0.0
            tabs[li] = t
            details[locus] = {"S": [a if a != "\x00other" else "other" for a in S], "hd": 0.0,
                              "rare_freq": floor}
            continue
        dba = db.alleles[li]
        cls = [hp_index.get(a, OUT) for a in dba]       # code-1 -> class (Hp alleles)
        cache: dict[tuple[int, int], float] = {}

        def value(c1: int, c2: int) -> float:
            key = tuple(sorted((cls[c1 - 1], cls[c2 - 1])))
            if key not in cache:
                g = (key[0],) if c1 == c2 else key
                hp = hp_model.likelihood([(g, params.candidate_dropout)] + hp_known_g)
                cache[key] = math.log10(hp / hd) if hp > 0 else -math.inf
            return cache[key]

        t = _new_table(0.0)
        _fill(t, len(dba), value, 0.0)
        tabs[li] = t
        details[locus] = {"S": [a if a != "\x00other" else "other" for a in S], "hd": hd,
                          "rare_freq": floor}
    return tabs, warnings, details


def search_mixture(db: ProfileDatabase, replicates: Profile | Sequence[Profile],
                   table: FrequencyTable, params: MixtureParams,
                   knowns: Sequence[Profile] = (), threshold: float | None = None,
                   top: int | None = 10, min_loci: int = 1, threads: int = 2,
                   progress: Progress | None = None) -> SearchResult:
    """Rank candidates by the semi-continuous LR of each as a contributor to the evidence
    (one or more replicates), against an unknown in its place. The LR is taken over the
    loci typed in both the evidence and the candidate (as SmartRank does)."""
    t0 = time.perf_counter()
    reps = [replicates] if isinstance(replicates, Profile) else list(replicates)
    tabs, warnings, details = mixture_locus_tables(db, reps, list(knowns), table, params)
    if progress:
        progress(0.0, "per-locus likelihoods done")
    hits, n_passing = _lr_hits(db, tabs, threshold, top, min_loci, threads, progress,
                               above=True)
    return SearchResult("mixture LR (LRmix / SmartRank model)", db.name, len(db), hits,
                        {"population": table.name, **asdict(params), "threshold": threshold,
                         "top": top, "min_loci": min_loci,
                         "evidence": [r.sample for r in reps],
                         "knowns": [k.sample for k in knowns]},
                        warnings, time.perf_counter() - t0, n_passing)
