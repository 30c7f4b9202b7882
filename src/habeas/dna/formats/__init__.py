"""Readers and writers of profile and allele-frequency files.

``read_profiles(path)`` and ``read_frequencies(path)`` sniff the layout and dispatch:

- ``long_csv``: profiles as (sample, marker, allele, height) rows; frequencies as
  (marker, allele, frequency) rows.
- ``genemapper``: GeneMapper ID / ID-X export tables (Sample Name, Marker, Allele 1..n,
  Height 1..n).
- ``lrmix``: LRmix Studio / EuroForMix sample and reference files (SampleName, Marker,
  Allele1..n [, Height1..n]) and the one-column-per-locus frequency layout
  (Allele, <locus>, <locus>, ...).

Every reader raises :class:`habeas.dna.errors.DNAFormatError` naming file, line and field.
"""
