"""STR locus names and kit definitions.

Locus names are normalised to the CODIS / STRBase spelling (NIST STRBase, "Core STR loci";
Hares 2015, FSI:Genetics 17:33-34 for the CODIS 20). Kit marker lists are those printed in the
manufacturers' user guides (Thermo Fisher AmpFlSTR Identifiler, GlobalFiler; Promega PowerPlex 16,
PowerPlex Fusion; Promega PowerPlex ESX 17; Thermo Fisher NGM, SGM Plus).
"""

from __future__ import annotations

import re

from habeas.dna.errors import UnknownLocusError

#: The sex marker: kept on profiles, never used in statistics.
AMEL = "AMEL"

#: Markers that are not autosomal STRs and so never enter a match statistic.
NON_AUTOSOMAL = frozenset({AMEL, "DYS391", "Yindel"})

#: CODIS 20 core loci (FBI, effective 2017-01-01).
CODIS_20 = (
    "CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820", "D8S1179",
    "D13S317", "D16S539", "D18S51", "D21S11", "D1S1656", "D2S441", "D2S1338", "D10S1248",
    "D12S391", "D19S433", "D22S1045",
)

#: Kit name -> marker list in the kit's order (sex and Y markers included, as the kit types them).
KITS: dict[str, tuple[str, ...]] = {
    "CODIS 20": CODIS_20,
    "CODIS 13": ("CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820",
                 "D8S1179", "D13S317", "D16S539", "D18S51", "D21S11"),
    "Identifiler": ("D8S1179", "D21S11", "D7S820", "CSF1PO", "D3S1358", "TH01", "D13S317",
                    "D16S539", "D2S1338", "D19S433", "vWA", "TPOX", "D18S51", AMEL, "D5S818",
                    "FGA"),
    "GlobalFiler": ("D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "Yindel", AMEL, "D8S1179",
                    "D21S11", "D18S51", "DYS391", "D2S441", "D19S433", "TH01", "FGA",
                    "D22S1045", "D5S818", "D13S317", "D7S820", "SE33", "D10S1248", "D1S1656",
                    "D12S391", "D2S1338"),
    "PowerPlex Fusion": (AMEL, "D3S1358", "D1S1656", "D2S441", "D10S1248", "D13S317",
                         "Penta E", "D16S539", "D18S51", "D2S1338", "CSF1PO", "Penta D",
                         "TH01", "vWA", "D21S11", "D7S820", "D5S818", "TPOX", "DYS391",
                         "D8S1179", "D12S391", "D19S433", "FGA", "D22S1045"),
    "PowerPlex 16": ("D3S1358", "TH01", "D21S11", "D18S51", "Penta E", "D5S818", "D13S317",
                     "D7S820", "D16S539", "CSF1PO", "Penta D", AMEL, "vWA", "D8S1179", "TPOX",
                     "FGA"),
    "PowerPlex ESX 17": (AMEL, "D3S1358", "TH01", "D21S11", "D18S51", "D10S1248", "D1S1656",
                         "D2S1338", "D16S539", "D22S1045", "vWA", "D8S1179", "FGA", "D2S441",
                         "D12S391", "D19S433", "SE33"),
    "NGM": ("D10S1248", "vWA", "D16S539", "D2S1338", AMEL, "D8S1179", "D21S11", "D18S51",
            "D22S1045", "D19S433", "TH01", "FGA", "D2S441", "D3S1358", "D1S1656", "D12S391"),
    "SGM Plus": ("D3S1358", "vWA", "D16S539", "D2S1338", AMEL, "D8S1179", "D21S11", "D18S51",
                 "D19S433", "TH01", "FGA"),
}

#: Every locus habeas knows, canonical spelling. Loci outside the kits (older or regional
#: markers present in the NIST 1036 and European tables) are included so their tables load.
KNOWN_LOCI = frozenset(
    {m for kit in KITS.values() for m in kit}
    | {"D6S1043", "F13A01", "F13B", "FESFPS", "LPL", "Penta C", "D2S1360", "D3S1744",
       "D4S2366", "D5S2500", "D6S474", "D7S1517", "D8S1132", "D9S2157", "D10S1435",
       "D11S4463", "D17S1301", "D18S853", "D20S482", "D20S1082", "D21S2055", "D1GATA113",
       "D1S1677", "D2S1776", "D3S3053", "D3S4529", "D4S2408", "D5S2800", "D6S1017",
       "D9S1122", "D10S1435", "D11S2368", "D12ATA63", "D14S1434", "D17S974", "D18S1364",
       "D22S1045", "HPRTB", "D7S1517",
       # older research markers in the Norwegian (forrel) table
       "APOAI1", "D10S2325", "D11S554", "D17S906"}
)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).upper()


# Aliases seen in lab exports and tool files, keyed by the folded spelling.
_ALIASES = {
    "THO1": "TH01", "TH1": "TH01", "TC11": "TH01", "HUMTH01": "TH01",
    "VWA31": "vWA", "VWA": "vWA", "HUMVWA": "vWA",
    "AMELOGENIN": AMEL, "AM": AMEL, "AMEL": AMEL, "AMELX": AMEL, "AMELY": AMEL,
    "FGA": "FGA", "FIBRA": "FGA", "FIBRINOGENALPHA": "FGA", "HUMFIBRA": "FGA",
    "CSF1P0": "CSF1PO", "CSF": "CSF1PO", "HUMCSF1PO": "CSF1PO",
    "TPOX": "TPOX", "HUMTPOX": "TPOX",
    "PENTAD": "Penta D", "PENTAE": "Penta E", "PENTAC": "Penta C", "PD": "Penta D",
    "PE": "Penta E", "SE33": "SE33", "ACTBP2": "SE33", "YINDEL": "Yindel",
}
_CANONICAL = {_key(n): n for n in KNOWN_LOCI}


def normalise_locus(name: str, *, strict: bool = True) -> str:
    """Return the CODIS/STRBase spelling of a locus name.

    ``"THO1"``, ``"th01"`` -> ``"TH01"``; ``"vwa"`` -> ``"vWA"``; ``"PentaD"``,
    ``"PENTA_D"`` -> ``"Penta D"``; ``"Amelogenin"`` -> ``"AMEL"``; ``"D8S1179"`` stays.
    Case, spaces, underscores, hyphens and dots are ignored; a letter O written for the
    digit 0 in a D-number (``"D3S1358"``-style names) is read as 0.

    Raises :class:`UnknownLocusError` for a name matching no known locus when ``strict``
    (default); with ``strict=False`` an unknown D-number-like name is returned upper-cased
    and anything else returned stripped, so new markers still load.
    """
    k = _key(name)
    if k in _ALIASES:
        return _ALIASES[k]
    if k in _CANONICAL:
        return _CANONICAL[k]
    if re.fullmatch(r"D[0-9O]{1,2}S[0-9O]+", k):
        fixed = k[0] + k[1:].replace("O", "0")
        if fixed in _CANONICAL:
            return _CANONICAL[fixed]
        if not strict:
            return fixed
    if strict:
        raise UnknownLocusError(f"unknown locus {name!r}")
    return name.strip()


def is_statistical(locus: str) -> bool:
    """True for an autosomal STR locus that may enter a match statistic (AMEL and Y markers never do)."""
    return locus not in NON_AUTOSOMAL
