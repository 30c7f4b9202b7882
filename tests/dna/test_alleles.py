"""Allele designations: forensic notation is kept; anything else is refused, never guessed."""

import pytest

from habeas.dna import DNAError, normalise_allele
from habeas.dna.formats import read_profiles


@pytest.mark.parametrize("raw, canonical", [
    ("12", "12"), (12, "12"), ("12.0", "12"), (9.3, "9.3"), ("9,3", "9.3"), ("17.2", "17.2"),
    ("x", "X"), ("Y", "Y"), ("ol", "OL"), ("<8", "<8"), (">24", ">24"), ("33.2", "33.2"),
])
def test_forensic_notation_is_kept(raw, canonical):
    assert normalise_allele(raw) == canonical


@pytest.mark.parametrize("raw", ["fifteen", "-3", "1e9", 1e9, "1000", "12a", "", " ", True, "9.3.1"])
def test_anything_else_is_refused(raw):
    with pytest.raises(DNAError):
        normalise_allele(raw)


def test_a_profile_file_with_a_word_for_an_allele_names_file_line_and_field(tmp_path):
    path = tmp_path / "letters.csv"
    path.write_text("sample,marker,allele\nS1,FGA,20\nS1,FGA,twenty\n")
    with pytest.raises(DNAError) as err:
        read_profiles(path)
    assert err.value.path == str(path) and err.value.line == 3 and err.value.field == "allele"
