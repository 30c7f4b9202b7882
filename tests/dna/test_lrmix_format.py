"""LRmix Studio / EuroForMix readers: layouts, quoting, decimal commas, errors."""

from __future__ import annotations

import pytest

from habeas.dna.errors import DNAFormatError
from habeas.dna.formats.lrmix import read_lrmix_profiles, read_wide_frequencies


def _w(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_profiles_replicates_quotes_heights(tmp_path):
    p = _w(tmp_path, "s.csv",
           'SampleName,Marker,Allele1,Allele2,Allele3,Height1,Height2,Height3\n'
           ' R1,"""vWA""",14,16,,"1234,5",800,\n'
           'R1,D3S1358,,,,,,\n'
           'R2,VWA,14,14,,500,400,\n'
           'R2,AMEL,X,Y,,,,\n')
    r1, r2 = read_lrmix_profiles(p)
    assert r1.sample == "R1" and r1.loci["vWA"] == ("14", "16")
    assert r1.heights["vWA"] == (1234.5, 800.0)
    assert r1.loci["D3S1358"] == ()              # typed, no allele: complete drop-out
    assert r2.loci["vWA"] == ("14",) and r2.heights["vWA"] == (900.0,)
    assert r2.loci["AMEL"] == ("X", "Y")


def test_profiles_tab_separated_and_microvariants(tmp_path):
    p = _w(tmp_path, "s.txt", "SampleName\tMarker\tAllele1\tAllele2\n"
                              "rep1\tTH01\t9,3\t7\nrep1\tPentaE\t5\t\n")
    (r,) = read_lrmix_profiles(p)
    assert r.loci["TH01"] == ("7", "9.3") and r.loci["Penta E"] == ("5",)


@pytest.mark.parametrize("text,line,field", [
    ("Sample,Foo\nA,B\n", 1, "Sample"),
    ("SampleName,Marker,Allele1\nA,vWA,14\nA,vWA,15\n", 3, "Marker"),
    ("SampleName,Marker,Allele1\n,vWA,14\n", 2, "SampleName"),
    ("SampleName,Marker,Allele1,Height1\nA,vWA,14,abc\n", 2, "Height1"),
    ("SampleName,Marker,Allele1,Height1\nA,vWA,,300\n", 2, "Height1"),
])
def test_profiles_errors_name_line_and_field(tmp_path, text, line, field):
    p = _w(tmp_path, "bad.csv", text)
    with pytest.raises(DNAFormatError) as e:
        read_lrmix_profiles(p)
    assert e.value.line == line and e.value.field == field and e.value.path == str(p)


def test_wide_frequencies_decimal_commas_and_blanks(tmp_path):
    p = _w(tmp_path, "f.csv", '"Allele","D3S1358","vWA","PentaE"\n'
                              '"12","0,0140",,\n"13",,"0,25","0.5"\n"13",,"0,25",\n'
                              '15, 0.07 ,,\n')
    t = read_wide_frequencies(p, name="x")
    assert t.name == "x"
    assert t.freqs["D3S1358"] == {"12": 0.014, "15": 0.07}
    assert t.freqs["vWA"] == {"13": 0.25} and t.freqs["Penta E"] == {"13": 0.5}


def test_wide_frequencies_semicolon(tmp_path):
    p = _w(tmp_path, "f.csv", "Allele;D3S1358;vWA\n12;0,014;\n13;;0,2\n")
    t = read_wide_frequencies(p)
    assert t.freqs == {"D3S1358": {"12": 0.014}, "vWA": {"13": 0.2}}
    assert t.name == "f"


@pytest.mark.parametrize("text,line,field", [
    ("Allele,vWA\n12,abc\n", 2, "vWA"),
    ("Allele,vWA\n12,1.5\n", 2, "vWA"),
    ("Allele,vWA\n12,0.1\n12,0.2\n", 3, "vWA"),
    ("Allele,vWA,vWA\n12,0.1,0.1\n", 1, "vWA"),
    ("Marker,Allele,Frequency\nvWA,12,0.1\n", 1, "Marker"),
])
def test_wide_frequencies_errors(tmp_path, text, line, field):
    p = _w(tmp_path, "bad.csv", text)
    with pytest.raises(DNAFormatError) as e:
        read_wide_frequencies(p)
    assert e.value.line == line and e.value.field == field


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(DNAFormatError):
        read_lrmix_profiles(tmp_path / "nope.csv")


@pytest.mark.shared
def test_reads_every_lrmix_validation_file():
    from _lrmix_validation import VALIDATION
    if not VALIDATION.is_dir():
        pytest.skip(f"LRmix Studio validation data absent ({VALIDATION})")
    t = read_wide_frequencies(VALIDATION / "data" / "Allele frequencies to use in DyNAmix.csv")
    assert len(t.freqs) == 23 and "Penta E" in t.freqs
    n = 0
    for f in sorted((VALIDATION / "data").glob("case */*.csv")):
        ps = read_lrmix_profiles(f)
        assert ps and all(p.loci for p in ps)
        n += 1
    assert n >= 40
    (s,) = read_lrmix_profiles(VALIDATION / "data" / "case 1.1.bis" / "suspectDNA007.csv")
    assert s.loci["vWA"] == ("14", "16")         # '"""vWA"""' in the file
