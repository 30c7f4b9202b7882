"""Readers, writer and layout dispatcher; malformed files name file, line and field."""

from __future__ import annotations

import io

import pytest

from habeas.dna.errors import DNAFormatError
from habeas.dna.formats import (
    frequency_layout, profile_layout, read_frequencies, read_profiles, write_profiles_long_csv,
)
from dna_shared import shared_file


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


LONG = """Sample,MARKER,Allele,Height
stain,D3S1358,15,1520
stain,D3S1358,17,1388
stain,THO1,9.3,800
stain,vwa,16,
stain,AMEL,X,2000
ref,D3S1358,15,
ref,D3S1358,15,
ref,D18S51,,
"""


def test_long_csv_profiles(tmp_path):
    p = write(tmp_path, "p.csv", LONG)
    assert profile_layout(p) == "long_csv"
    stain, ref = read_profiles(p)
    assert stain.sample == "stain"
    assert stain.loci == {"D3S1358": ("15", "17"), "TH01": ("9.3",), "vWA": ("16",), "AMEL": ("X",)}
    assert stain.heights["D3S1358"] == (1520.0, 1388.0)
    assert "vWA" not in stain.heights  # height cell blank
    assert ref.loci == {"D3S1358": ("15",), "D18S51": ()}  # homozygote written twice; no-call locus


def test_long_csv_round_trip(tmp_path):
    profiles = read_profiles(write(tmp_path, "p.csv", LONG))
    buf = io.StringIO()
    write_profiles_long_csv(profiles, buf)
    again = read_profiles(write(tmp_path, "q.csv", buf.getvalue()))
    assert again == profiles
    write_profiles_long_csv(profiles, tmp_path / "r.csv")
    assert read_profiles(tmp_path / "r.csv") == profiles


GM = ("Sample Name\tSample File\tMarker\tAllele 1\tAllele 2\tAllele 3\tHeight 1\tHeight 2\tHeight 3\n"
      "s1\ts1.fsa\tD8S1179\t12\t14\t\t500\t450\t\n"
      "s1\ts1.fsa\tAMEL\tX\t\t\t900\t\t\n"
      "s1\ts1.fsa\tPenta_D\t\t\t\t\t\t\n"
      "s2\ts2.fsa\tD8S1179\t13\tOL\t15\t100\t50\t80\n")


def test_genemapper(tmp_path):
    p = write(tmp_path, "gm.txt", GM)
    assert profile_layout(p) == "genemapper"
    s1, s2 = read_profiles(p)
    assert s1.loci == {"D8S1179": ("12", "14"), "AMEL": ("X",), "Penta D": ()}
    assert s1.heights == {"D8S1179": (500.0, 450.0), "AMEL": (900.0,)}
    assert s2.loci["D8S1179"] == ("13", "15", "OL")


def test_genemapper_real_euroformix_stain():
    p = shared_file("euroformix/tutorialdata/stain.txt")
    (evid,) = read_profiles(p)
    assert evid.loci["D3S1358"] == ("14", "15", "16")
    assert evid.heights["D3S1358"] == (178.0, 2405.0, 1982.0)


@pytest.mark.parametrize("name,text,line,field,words", [
    ("missing.csv", "sample,allele\ns,12\n", 1, "marker", "missing column"),
    ("empty.csv", "", 1, None, "empty file"),
    ("blank.csv", "\n\n", 1, None, "empty file"),
    ("norows.csv", "sample,marker,allele\n", 1, None, "no profile rows"),
    ("trunc.csv", "sample,marker,allele,height\ns,TH01,6,100\ns,TH01\n", 3, "allele", "truncated"),
    ("locus.csv", "sample,marker,allele\ns,TH01,6\ns,D99S999X,7\n", 3, "marker", "unknown locus"),
    ("height.csv", "sample,marker,allele,height\ns,TH01,6,abc\n", 2, "height", "not a number"),
    ("neg.csv", "sample,marker,allele,height\ns,TH01,6,-5\n", 2, "height", "negative"),
    ("extra.csv", "sample,marker,allele\ns,TH01,6,7\n", 2, None, "more than"),
])
def test_malformed_profiles(tmp_path, name, text, line, field, words):
    p = write(tmp_path, name, text)
    with pytest.raises(DNAFormatError) as ei:
        read_profiles(p)
    e = ei.value
    assert e.path == str(p) and e.line == line and e.field == field
    assert words in str(e) and str(p) in str(e)


def test_malformed_genemapper(tmp_path):
    p = write(tmp_path, "gm.txt", "Sample Name\tMarker\tAllele 1\tHeight 1\ns\tTH01\t6\tx\n")
    with pytest.raises(DNAFormatError) as ei:
        read_profiles(p)
    assert (ei.value.line, ei.value.field) == (2, "Height 1")


def test_unrecognised_layout(tmp_path):
    p = write(tmp_path, "x.csv", "foo,bar\n1,2\n")
    with pytest.raises(DNAFormatError) as ei:
        read_profiles(p)
    assert ei.value.line == 1
    with pytest.raises(DNAFormatError):
        read_frequencies(p)


def test_long_frequencies(tmp_path):
    p = write(tmp_path, "f.csv", "Marker;Allele;Frequency\nTHO1;6;0,25\nTH01;9.3;0.3\nvwa;17;1\n")
    assert frequency_layout(p) == "long"
    t = read_frequencies(p)
    assert t.name == "f"
    assert t.freqs == {"TH01": {"6": 0.25, "9.3": 0.3}, "vWA": {"17": 1.0}}
    t2 = read_frequencies(write(tmp_path, "g.csv", "locus,allele,freq,n\nTH01,6,0.5,120\n"), "G")
    assert t2.name == "G" and t2.n_individuals == {"TH01": 120}


@pytest.mark.parametrize("text,line,field,words", [
    ("marker,allele\nTH01,6\n", 1, "frequency", "missing column"),
    ("marker,allele,frequency\nTH01,6,x\n", 2, "frequency", "not a number"),
    ("marker,allele,frequency\nTH01,6,0.2\nTH01,7,0\n", 3, "frequency", "outside (0, 1]"),
    ("marker,allele,frequency\nTH01,6,1.2\n", 2, "frequency", "outside (0, 1]"),
    ("marker,allele,frequency\nTH01,6,0.2\nFOO,7,0.1\n", 3, "marker", "unknown locus"),
    ("marker,allele,frequency\nTH01,6,0.2\nTH01,6\n", 3, "frequency", "truncated"),
    ("marker,allele,frequency\nTH01,6,0.2\nTH01,6.0,0.1\n", 3, "allele", "twice"),
    ("marker,allele,frequency\n", 1, None, "no frequency rows"),
])
def test_malformed_frequencies(tmp_path, text, line, field, words):
    p = write(tmp_path, "bad.csv", text)
    with pytest.raises(DNAFormatError) as ei:
        read_frequencies(p)
    e = ei.value
    assert (e.path, e.line, e.field) == (str(p), line, field)
    assert words in str(e)


def test_wide_frequencies_dispatch_to_lrmix_reader(tmp_path):
    """The wide (EuroForMix / LRmix) layout is read by habeas.dna.formats.lrmix (another
    engineer's module); the dispatcher must hand it over."""
    pytest.importorskip("habeas.dna.formats.lrmix", reason="LRmix/wide reader not landed yet")
    p = write(tmp_path, "wide.csv", '"Allele","TH01","vWA"\n"6","0,25",\n"9.3","0.3",\n"17",,"0.2"\n')
    assert frequency_layout(p) == "wide"
    t = read_frequencies(p, "W")
    assert t.name == "W"
    assert t.freqs["TH01"] == {"6": pytest.approx(0.25), "9.3": pytest.approx(0.3)}
    assert t.freqs["vWA"] == {"17": pytest.approx(0.2)}


def test_lrmix_profiles_dispatch(tmp_path):
    pytest.importorskip("habeas.dna.formats.lrmix", reason="LRmix reader not landed yet")
    p = write(tmp_path, "ref.csv", "SampleName,Marker,Allele1,Allele2\nref1,D3S1358,16,16\nref1,TH01,9.3,9\n")
    assert profile_layout(p) == "lrmix"
    (ref,) = read_profiles(p)
    assert ref.loci["D3S1358"] == ("16",) and ref.loci["TH01"] == ("9", "9.3")


def test_a_file_of_empty_cells_is_a_format_error_not_a_crash(tmp_path):
    from habeas.dna.errors import DNAFormatError
    from habeas.dna.formats._tabular import read_table

    path = tmp_path / "blank.csv"
    path.write_text(",,,\n,,,\n")
    with pytest.raises(DNAFormatError) as err:
        read_table(path)
    assert err.value.path == str(path) and err.value.line == 1
