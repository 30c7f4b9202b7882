"""Readers of SmartRank's own files, for running the same search here.

- :func:`read_strbase_xml`: the STRBase/STRidER frequency XML SmartRank reads
  (``<frequencies><marker><name>VWA</name>...<frequency allele="11">9.66E-05</frequency>``).
- :func:`read_search_criteria`: a SmartRank import file (``SmartRankImportFile`` XML:
  drop-in, θ, LR threshold, rare allele frequency, Hp/Hd contributors and unknowns with
  their drop-out, and optionally the specimens and the statistics).
- :func:`read_expected_results`: a ``<id> <LR>`` list (``#`` comments).

The files are the user's (SmartRank is GPL-3; nothing of it is shipped here).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from habeas.dna.errors import DNAFormatError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.loci import normalise_locus
from habeas.dna.profile import Profile, normalise_allele


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise DNAFormatError(f"unreadable XML ({e})", path=str(path)) from e


def read_strbase_xml(path: str | os.PathLike, name: str | None = None) -> FrequencyTable:
    """STRBase frequency XML -> :class:`FrequencyTable` (N per locus from ``origin n=``)."""
    root = _parse(path)
    freqs: dict[str, dict[str, float]] = {}
    ns: dict[str, int] = {}
    for marker in root.iter():
        if _local(marker.tag) != "marker":
            continue
        mname = next((c.text for c in marker if _local(c.tag) == "name"), None)
        if not mname:
            raise DNAFormatError("marker without a name", path=str(path), field="marker")
        locus = normalise_locus(mname.strip(), strict=False)
        for origin in marker:
            if _local(origin.tag) != "origin":
                continue
            if origin.get("n"):
                ns[locus] = int(origin.get("n"))
            for f in origin:
                if _local(f.tag) == "frequency":
                    try:
                        freqs.setdefault(locus, {})[normalise_allele(f.get("allele"))] = float(f.text)
                    except (TypeError, ValueError) as e:
                        raise DNAFormatError(f"bad frequency {f.text!r}", path=str(path),
                                             field=f"{locus} {f.get('allele')}") from e
    if not freqs:
        raise DNAFormatError("no <marker> frequencies found", path=str(path))
    return FrequencyTable(name=name or Path(path).stem, freqs=freqs,
                          population=f"STRBase XML {Path(path).name}", n_individuals=ns)


@dataclass
class SearchCriteria:
    dropin: float | None = None
    theta: float | None = None
    lr_threshold: float | None = None
    max_results: int | None = None
    rare_freq: float | None = None
    candidate_dropout: float | None = None
    hp_unknowns: int = 0
    hp_unknown_dropout: float = 0.0
    hd_unknowns: int = 0
    hd_unknown_dropout: float = 0.0
    hp_contributors: dict[str, float] = field(default_factory=dict)
    hd_contributors: dict[str, float] = field(default_factory=dict)
    replicates: list[str] = field(default_factory=list)
    specimens: dict[str, Profile] = field(default_factory=dict)
    statistics: FrequencyTable | None = None


def read_search_criteria(path: str | os.PathLike) -> SearchCriteria:
    root = _parse(path)
    sc = SearchCriteria()
    num = lambda s: float(s) if s not in (None, "") else None  # noqa: E731
    for el in root:
        tag = _local(el.tag)
        if tag == "Dropin":
            sc.dropin = num(el.text)
        elif tag == "Theta":
            sc.theta = num(el.text)
        elif tag == "LrThreshold":
            sc.lr_threshold = num(el.text)
        elif tag == "MaximumNumberOfResults":
            sc.max_results = int(el.text)
        elif tag == "RareAlleleFrequency":
            sc.rare_freq = num(el.text)
        elif tag == "Replicates":
            sc.replicates = [r.get("name") for r in el if _local(r.tag) == "Replicate"]
        elif tag in ("HP", "HD"):
            if tag == "HP":
                sc.candidate_dropout = num(el.get("candidateDropout"))
            for part in el:
                ptag = _local(part.tag)
                if ptag == "Contributors":
                    d = {c.get("name"): float(c.get("dropout") or 0) for c in part}
                    (sc.hp_contributors if tag == "HP" else sc.hd_contributors).update(d)
                elif ptag == "Unknowns":
                    cnt, dr = int(part.get("count") or 0), float(part.get("dropout") or 0)
                    if tag == "HP":
                        sc.hp_unknowns, sc.hp_unknown_dropout = cnt, dr
                    else:
                        sc.hd_unknowns, sc.hd_unknown_dropout = cnt, dr
        elif tag == "Specimen":
            loci = {}
            for loc in el:
                if _local(loc.tag) == "Locus":
                    loci[loc.get("name")] = [a.get("value") for a in loc if _local(a.tag) == "Allele"]
            if loci:
                sc.specimens[el.get("name")] = Profile.from_mapping(el.get("name"), loci)
        elif tag == "Statistics":
            freqs: dict[str, dict[str, float]] = {}
            for loc in el:
                locus = normalise_locus(loc.get("name"), strict=False)
                for a in loc:
                    freqs.setdefault(locus, {})[normalise_allele(a.get("value"))] = float(a.get("probability"))
            sc.statistics = FrequencyTable(name=Path(path).stem, freqs=freqs)
            if sc.rare_freq is None and el.get("rareAlleleFrequency"):
                sc.rare_freq = float(el.get("rareAlleleFrequency"))
    return sc


def read_expected_results(path: str | os.PathLike) -> dict[str, float]:
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            out[parts[0]] = float(parts[1])
    return out
