"""habeas.dna.database: store, import (all-or-nothing), and searches checked against
brute-force per-candidate computations written here from the published formulas."""

from __future__ import annotations

import csv
import hashlib
import math
import random
from itertools import product
from pathlib import Path

import numpy as np
import pytest

from habeas.dna.database import (
    from_arrays, generate, import_database, list_databases, mixture_params, open_database,
    read_database, save, search_familial, search_lr, search_matches, search_mixture,
)
from habeas.dna.errors import DNAFormatError
from habeas.dna.genotype import RareAlleleRule
from habeas.dna.loci import CODIS_20
from habeas.dna.profile import Profile
from habeas.dna.tables import load_table

#: ../shared/data (GPL / third-party validation files are read there, never copied).
SHARED_DNA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dna"


def shared_file(rel: str) -> Path:
    p = SHARED_DNA / rel
    if not p.exists():
        pytest.skip(f"needs ../shared/data/dna/{rel} (shared data folder absent)")
    return p

CAUC = load_table("NIST1036_Cauc")


@pytest.fixture(scope="module")
def small_db():
    """300 profiles from NIST 1036 Caucasian frequencies, 10 % of loci untyped, plus
    planted relatives / near-copies of row 0 so that every search has real hits."""
    db = generate(300, seed=7, missing_rate=0.1)
    codes = np.array(db.codes)
    rng = np.random.default_rng(3)
    for r in range(1, 6):           # near copies of profile 0: differ at r-1 loci
        codes[:, r] = codes[:, 0]
        for li in rng.choice(len(db.loci), r - 1, replace=False):
            codes[li, r] = [1, 2]
    for r in range(6, 10):          # share one allele at every locus with profile 0
        for li in range(len(db.loci)):
            other = rng.integers(1, len(db.alleles[li]) + 1)
            codes[li, r] = sorted([codes[li, 0, rng.integers(0, 2)], other])
    return from_arrays("small", db.loci, db.alleles, codes, db.all_ids())


def query_of(db, row):
    return db.profile(row)


# --------------------------------------------------------------------------- store

def test_store_roundtrip_and_memory(tmp_path):
    db = generate(1000, seed=1)
    assert db.codes.dtype == np.uint8 and db.codes.shape == (20, 1000, 2)
    bpp = db.bytes_per_profile()
    assert bpp["codes"] == 40.0                     # 20 loci x 2 alleles x 1 byte
    assert bpp["total"] <= 64.0
    path = save(db, tmp_path)
    again = open_database("synthetic", tmp_path)
    assert again.loci == db.loci and len(again) == 1000
    assert [again.profile(i) for i in (0, 17, 999)] == [db.profile(i) for i in (0, 17, 999)]
    assert list_databases(tmp_path) == ["synthetic"]
    assert (path / "codes.npy").stat().st_size < 1000 * 40 + 200


def test_generator_is_seeded_and_follows_the_frequencies():
    a, b = generate(20000, seed=11), generate(20000, seed=11)
    assert np.array_equal(a.codes, b.codes)
    assert not np.array_equal(a.codes, generate(20000, seed=12).codes)
    li = a.loci.index("TH01")
    counts = np.bincount(np.asarray(a.codes[li]).ravel(), minlength=len(a.alleles[li]) + 1)[1:]
    p = np.array([CAUC.freqs["TH01"][x] for x in a.alleles[li]])
    p /= p.sum()
    obs = counts / counts.sum()
    assert np.all(np.abs(obs - p) < 4 * np.sqrt(p * (1 - p) / counts.sum()) + 1e-9)


def _manual_wide(path: Path) -> dict[str, dict[str, set]]:
    out = {}
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for row in rows[1:]:
        prof = {}
        for h, v in zip(head[1:], row[1:]):
            if v != "NULL":
                prof.setdefault(h.rsplit("_", 1)[0].upper(), set()).add(v)
        out[row[0]] = prof
    return out


@pytest.mark.shared
def test_import_codis_csv_matches_a_plain_reading(tmp_path):
    src = shared_file("smartrank/validation/database_codis_generated_100.csv")
    res = import_database(src, "codis100", tmp_path)
    db = open_database("codis100", tmp_path)
    manual = _manual_wide(src)
    assert len(db) == len(manual) == 100 and not res.problems
    for i in (0, 37, 99):
        p = db.profile(i)
        m = manual[p.sample]
        assert {k.upper(): set(v) for k, v in p.loci.items()} == m


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


GOOD = "specimenId,TH01_1,TH01_2,vWA_1,vWA_2\nA1,6,9.3,14,17\nA2,7,7,15,NULL\n"


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("bad, line, field, words", [
    ("specimenId,TH01_1,TH01_2,vWA_1,vWA_2\nA1,6,9.3,14,17\nA1,7,7,15,16\n", 3, "specimenId",
     "duplicate profile id"),
    ("specimenId,TH01_1,TH01_2,XYZ99_1,XYZ99_2\nA1,6,9.3,14,17\n", 1, "XYZ99_1", "unknown locus"),
    ("specimenId,TH01_1,TH01_2,vWA_1,vWA_2\nA1,6,9.3,14,17\nA2,7,7,1", 3, None, "expected 5 fields"),
    ('specimenId,TH01_1,TH01_2,vWA_1,vWA_2\nA1,6,9.3,14,17\nA2,7,7,"15', 3, None, "truncated"),
    ("specimenId,TH01_1,TH01_2,vWA_1,vWA_2\nA1,6,9.3,14,17\nA2,7,BAD,15,16\n", 3, "TH01_2",
     "not an allele"),
])
def test_bad_input_is_a_clear_error_and_leaves_the_database_as_it_was(tmp_path, bad, line,
                                                                       field, words):
    import_database(_write(tmp_path / "good.csv", GOOD), "refs", tmp_path / "dbs")
    before = _digest(tmp_path / "dbs")
    src = _write(tmp_path / "bad.csv", bad)
    with pytest.raises(DNAFormatError) as e:
        import_database(src, "refs", tmp_path / "dbs")
    err = e.value
    assert err.path == str(src) and err.line == line and err.field == field
    assert words in str(err)
    assert _digest(tmp_path / "dbs") == before            # untouched
    assert [p.name for p in (tmp_path / "dbs").iterdir()] == ["refs"]   # no temp left
    assert open_database("refs", tmp_path / "dbs").all_ids() == ["A1", "A2"]


def test_long_csv_and_parquet_imports_agree(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    long_csv = _write(tmp_path / "refs.csv",
                      "sample,marker,allele\nA1,TH01,6\nA1,TH01,9.3\nA1,vWA,14\nA1,vWA,17\n"
                      "A2,TH01,7\nA2,vWA,15\nA2,vWA,16\nA2,AMEL,X\n")
    a = read_database(long_csv).database
    pq.write_table(pa.table({"id": ["A1", "A2"], "TH01_1": ["6", "7"], "TH01_2": ["9.3", None],
                             "vWA_1": ["14", "15"], "vWA_2": ["17", "16"]}), tmp_path / "w.parquet")
    b = read_database(tmp_path / "w.parquet").database
    pq.write_table(pa.table({"sample": ["A1"] * 4 + ["A2"] * 3,
                             "marker": ["TH01", "TH01", "vWA", "vWA", "TH01", "vWA", "vWA"],
                             "allele": ["6", "9.3", "14", "17", "7", "15", "16"]}),
                   tmp_path / "l.parquet")
    c = read_database(tmp_path / "l.parquet").database
    want = [Profile.from_mapping("A1", {"TH01": ["6", "9.3"], "vWA": ["14", "17"]}),
            Profile.from_mapping("A2", {"TH01": ["7"], "vWA": ["15", "16"]})]
    for db in (a, b, c):
        assert sorted(db.profiles(), key=lambda p: p.sample) == want


def test_parquet_duplicate_id_is_an_error(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": ["A1", "A1"], "TH01_1": ["6", "7"], "TH01_2": ["9", "7"]}),
                   tmp_path / "d.parquet")
    with pytest.raises(DNAFormatError, match="duplicate profile id") as e:
        read_database(tmp_path / "d.parquet")
    assert e.value.line == 2


# ---------------------------------------------------------------------- match search

def _brute_match(db, q: Profile, stringency, max_mm, min_loci):
    out = {}
    for r in range(len(db)):
        c = db.profile(r)
        comp = mm = 0
        for locus, qa in q.loci.items():
            ca = c.loci.get(locus)
            if not qa or not ca:
                continue
            comp += 1
            Q, C = set(qa), set(ca)
            ok = {"high": Q == C, "moderate": Q <= C or C <= Q, "low": bool(Q & C)}[stringency]
            mm += not ok
        if comp >= min_loci and mm <= max_mm:
            out[c.sample] = (comp, mm)
    return out


@pytest.mark.parametrize("stringency", ["high", "moderate", "low"])
@pytest.mark.parametrize("max_mm", [0, 2])
def test_match_search_equals_brute_force(small_db, stringency, max_mm):
    q = query_of(small_db, 0)
    # a partial query: drop 5 loci
    q = Profile(q.sample, {l: a for i, (l, a) in enumerate(q.loci.items()) if i % 4})
    want = _brute_match(small_db, q, stringency, max_mm, 8)
    got = search_matches(small_db, q, stringency, max_mm, min_loci=8, top=None)
    assert {h.id: (h.loci_compared, h.mismatches) for h in got.hits} == want
    assert len(want) >= 1


def test_moderate_stringency_takes_a_mixed_query_locus():
    db = from_arrays("t", ["TH01"], [["6", "7", "9.3"]], np.array([[[1, 3], [2, 2], [1, 2]]],
                     np.uint8), ["ab", "bb", "ac"])
    q = Profile.from_mapping("q", {"TH01": ["6", "7", "9.3"]})
    assert {h.id for h in search_matches(db, q, "moderate", top=None).hits} == {"ab", "bb", "ac"}
    assert search_matches(db, q, "high", top=None).hits == []


# ---------------------------------------------------------------------- LR ranking

def nrc2_410(freqs, theta):
    """NRC II (1996) eq. 4.10a/b, written out here."""
    if len(freqs) == 1:
        p = freqs[0]
        return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / ((1 + theta) * (1 + 2 * theta))
    p, q = freqs
    return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / ((1 + theta) * (1 + 2 * theta))


def test_lr_ranking_equals_a_per_candidate_loop(small_db):
    q = query_of(small_db, 0)
    theta, floor = 0.01, 0.002
    res = search_lr(small_db, q, CAUC, theta, RareAlleleRule("fixed", floor), top=None)
    want = {}
    for r in range(len(small_db)):
        c = small_db.profile(r)
        log10, comp = 0.0, 0
        for locus, qa in q.loci.items():
            ca = c.loci.get(locus)
            if not ca:
                continue
            comp += 1
            if set(ca) != set(qa):
                log10 = -math.inf
                break
            fs = [max(CAUC.freqs[locus].get(a, floor), floor) for a in qa]
            log10 -= math.log10(nrc2_410(fs, theta))
        if math.isfinite(log10) and comp:
            want[c.sample] = log10
    got = {h.id: h.log10_lr for h in res.hits}
    assert got.keys() == want.keys() and len(want) >= 2
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12)
    assert [h.log10_lr for h in res.hits] == sorted(got.values(), reverse=True)
    top = search_lr(small_db, q, CAUC, theta, RareAlleleRule("fixed", floor), top=1,
                    threshold=10 ** (max(want.values()) - 1e-9))
    assert [h.id for h in top.hits] == [max(want, key=want.get)]


# ------------------------------------------------------------------------- familial

def pi_textbook(q, c, p):
    """Parent–child index (child q, alleged parent c), Butler 2012 table 14.x / Evett & Weir."""
    Q, C = sorted(q), sorted(c)
    a = [x for x in set(Q) if x in C]
    if not a:
        return 0.0
    if Q[0] == Q[1]:
        x = Q[0]
        return 1 / p[x] if C[0] == C[1] else 1 / (2 * p[x])
    if C[0] == C[1]:
        return 1 / (2 * p[C[0]])
    if set(Q) == set(C):
        return (p[Q[0]] + p[Q[1]]) / (4 * p[Q[0]] * p[Q[1]])
    return 1 / (4 * p[a[0]])


def si_textbook(q, c, p):
    """Full-sibling index, the textbook table (Wenk et al. 1996; Butler 2012)."""
    Q, C = sorted(q), sorted(c)
    share = set(Q) & set(C)
    if Q[0] == Q[1] and C[0] == C[1]:
        return (1 + p[Q[0]]) ** 2 / (4 * p[Q[0]] ** 2) if Q == C else 0.25
    if Q[0] == Q[1] or C[0] == C[1]:
        hom = Q[0] if Q[0] == Q[1] else C[0]
        return (1 + p[hom]) / (4 * p[hom]) if share else 0.25
    if set(Q) == set(C):
        a, b = Q
        return (1 + p[a] + p[b] + 2 * p[a] * p[b]) / (8 * p[a] * p[b])
    if share:
        a = share.pop()
        return (1 + 2 * p[a]) / (8 * p[a])
    return 0.25


@pytest.mark.parametrize("relationship, formula", [("parent-child", pi_textbook),
                                                    ("full-sibling", si_textbook)])
def test_familial_ranking_equals_the_textbook_indices(small_db, relationship, formula):
    q = query_of(small_db, 0)
    floor = 0.002
    res = search_familial(small_db, q, CAUC, relationship, RareAlleleRule("fixed", floor), top=None)
    got = {h.id: h.log10_lr for h in res.hits}
    for r in range(0, len(small_db), 7):
        c = small_db.profile(r)
        total = 0.0
        for locus, qa in q.loci.items():
            ca = c.loci.get(locus)
            if not ca:
                continue
            p = {a: max(CAUC.freqs[locus].get(a, floor), floor) for a in set(qa) | set(ca)}
            v = formula(list(qa) * (2 // len(qa)), list(ca) * (2 // len(ca)), p)
            total += math.log10(v) if v > 0 else -math.inf
        if math.isfinite(total):
            assert got[c.sample] == pytest.approx(total, rel=1e-9, abs=1e-9)
        else:
            assert c.sample not in got
    if relationship == "parent-child":   # planted allele-sharers rank at the top
        assert {h.id for h in res.hits[:10]} >= {small_db.id_of(r) for r in range(6, 10)}


# --------------------------------------------------------------------------- mixtures

def lrmix_brute(reps, contributors, n_unknown, d_u, C, p, alleles):
    """LRmix likelihood by plain enumeration (θ = 0): every unknown genotype over all
    ``alleles`` of the locus, replicate probability per Haned et al. 2012."""
    genos = [(a, b) for i, a in enumerate(alleles) for b in alleles[i:]]
    total = 0.0
    for combo in product(genos, repeat=n_unknown):
        gp = 1.0
        for a, b in combo:
            gp *= p[a] ** 2 if a == b else 2 * p[a] * p[b]
        people = [(g, d) for g, d in contributors] + [(g, d_u) for g in combo]
        pr = 1.0
        for R in reps:
            drop = {}
            for (a, b), d in people:
                for x, dd in ([(a, d * d)] if a == b else [(a, d), (b, d)]):
                    drop[x] = drop.get(x, 1.0) * dd
            f = 1.0
            for x, dd in drop.items():
                f *= (1 - dd) if x in R else dd
            din = [x for x in R if x not in drop]
            f *= (1 - C) if not din else math.prod(C * p[x] for x in din)
            pr *= f
        total += gp * pr
    return total


def test_mixture_lr_equals_a_per_candidate_enumeration(small_db):
    a, b = small_db.profile(0), small_db.profile(20)
    loci = ["TH01", "vWA", "D8S1179", "FGA", "D21S11"]
    mix = Profile.from_mapping("mix", {l: sorted(set(a.loci.get(l, ())) | set(b.loci.get(l, ())))
                                       or ["8"] for l in loci})
    params = mixture_params(2, dropout=0.1, dropin=0.05, theta=0.0, rare_freq=0.001)
    res = search_mixture(small_db, mix, CAUC, params, top=None)
    got = {h.id: h.log10_lr for h in res.hits}
    rng = random.Random(5)
    rows = [0, 20] + rng.sample(range(len(small_db)), 40)
    for r in rows:
        c = small_db.profile(r)
        total, typed = 0.0, 0
        for l in loci:
            if l not in c.loci:
                continue
            typed += 1
            R = set(mix.loci[l])
            tab = dict(CAUC.freqs[l])
            al = sorted(set(tab) | R | set(c.loci[l]))
            p = {x: tab.get(x, 0.001) for x in al}
            g = tuple(c.loci[l]) * (2 // len(c.loci[l]))
            hp = lrmix_brute([R], [(g, 0.1)], 1, 0.1, 0.05, p, al)
            hd = lrmix_brute([R], [], 2, 0.1, 0.05, p, al)
            total += math.log10(hp / hd) if hp > 0 else -math.inf
        if typed and math.isfinite(total):
            assert got[c.sample] == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert res.hits[0].id in {a.sample, b.sample}


def test_mixture_lr_agrees_with_the_mixture_package(small_db):
    mixture = pytest.importorskip("habeas.dna.mixture")
    a, b = small_db.profile(0), small_db.profile(20)
    loci = [l for l in CODIS_20[:8] if l in a.loci and l in b.loci]
    mix = Profile.from_mapping("mix", {l: sorted(set(a.loci[l]) | set(b.loci[l])) for l in loci})
    params = mixture_params(2, dropout=0.05, dropin=0.05, theta=0.0, rare_freq=0.001)
    res = search_mixture(small_db, mix, CAUC, params, top=None)
    got = {h.id: h for h in res.hits}
    for r in (0, 20, 3, 50):
        cand = small_db.profile(r)
        if cand.sample not in got or any(l not in cand.loci for l in loci):
            continue
        hp, hd = mixture.standard_propositions(cand, [], unknowns_hp=1, unknowns_hd=2,
                                               dropout_poi=0.05, dropout_unknown_hp=0.05,
                                               dropout_unknown_hd=0.05)
        ref = mixture.likelihood_ratio([mix], hp, hd, CAUC, mixture.MixtureParameters(
            dropin=0.05, theta=0.0, rare_allele_frequency=0.001))
        assert got[cand.sample].log10_lr == pytest.approx(ref.log10_lr, rel=1e-9)


@pytest.mark.shared
def test_lrmix_studio_example_p15():
    """LRmix Studio reference case P15 (two replicates 13 / 13,14; suspect 13/14 with
    drop-out 0.1, Hd one unknown with 0.1, drop-in 0.05): LR 21.08466 at θ = 0."""
    from habeas.dna.formats import read_frequencies, read_profiles

    reps = read_profiles(shared_file("lrmixstudio/Example-p15/sample-example-p15.csv"))
    sus = read_profiles(shared_file("lrmixstudio/Example-p15/suspect-example-p15.csv"))[0]
    tab = read_frequencies(shared_file("lrmixstudio/Example-p15/allele-frequencies-example-p15.csv"))
    db = from_arrays("p15", ["vWA"], [["12", "13", "14"]], np.array([[[2, 3], [1, 1]]], np.uint8),
                     [sus.sample, "other"])
    from habeas.dna.database import MixtureParams
    params = MixtureParams(hp_unknowns=0, hd_unknowns=1, candidate_dropout=0.1,
                           hd_unknown_dropout=0.1, dropin=0.05, theta=0.0, rare_freq=0.001)
    res = search_mixture(db, reps, tab, params, top=1)
    assert res.hits[0].id == sus.sample
    assert res.hits[0].lr == pytest.approx(21.08466, rel=1e-6)


def test_cli_import_and_search(tmp_path, capsys, monkeypatch):
    import json

    from habeas.cli import main

    monkeypatch.setenv("HABEAS_HOME", str(tmp_path))
    db = generate(500, seed=2)
    rows = ["specimenId," + ",".join(f"{l}_1,{l}_2" for l in db.loci)]
    for i in range(len(db)):
        p = db.profile(i)
        rows.append(p.sample + "," + ",".join(
            ",".join((list(p.loci[l]) * 2)[:2]) for l in db.loci))
    src = _write(tmp_path / "refs.csv", "\n".join(rows) + "\n")
    assert main(["dna", "db", "import", str(src), "--name", "refs", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_profiles"] == 500 and out["bytes_per_profile"]["codes"] == 40.0
    q = db.profile(123)
    sample = _write(tmp_path / "q.csv", "sample,marker,allele\n" + "".join(
        f"q,{l},{a}\n" for l, als in q.loci.items() for a in als))
    assert main(["dna", "db", "search", "--db", "refs", "--sample", str(sample), "--theta", "0.01",
                 "--freqs", "NIST1036_Cauc", "--top", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hits"][0]["id"] == q.sample and out["kind"] == "single-source LR"
    assert out["hits"][0]["log10_lr"] == pytest.approx(
        search_lr(db, q, CAUC, 0.01).hits[0].log10_lr)
    assert main(["dna", "db", "import", str(_write(tmp_path / "bad.csv", "specimenId,TH01_1\nx,6\nx,7\n")),
                 "--name", "refs"]) == 2
    assert "duplicate profile id" in capsys.readouterr().err
    assert len(open_database("refs", tmp_path / "dna-databases")) == 500
