"""Genotype probabilities and the frequencies they use.

Models (``model=`` argument):

- ``"nrc2_4.10"`` (default): NRC II (1996) eq. 4.10a/4.10b, the conditional match
  probability of Balding & Nichols (1994), with co-ancestry coefficient θ (F_ST):

  homozygote  ``[2θ + (1-θ)p][3θ + (1-θ)p] / [(1+θ)(1+2θ)]``
  heterozygote ``2[θ + (1-θ)p][θ + (1-θ)q] / [(1+θ)(1+2θ)]``

  With θ = 0 these are Hardy–Weinberg, NRC II eq. 4.1a/4.1b: ``p²`` and ``2pq``.
- ``"nrc2_4.4"``: NRC II eq. 4.4a for homozygotes, ``p² + p(1-p)θ``, and ``2pq`` for
  heterozygotes (NRC II recommendation 4.1).
- ``"hw"``: ``p²`` and ``2pq`` whatever θ.

The rare-allele rule (:class:`RareAlleleRule`) sets the frequency used for an allele that
is absent from the table or rarer than the minimum allele frequency 5/2N (NRC II p. 148;
Budowle et al. 1996), N the number of individuals typed at the locus.
"""

from __future__ import annotations

from dataclasses import dataclass

from habeas.dna.errors import DNAError, MissingFrequencyError
from habeas.dna.frequencies import FrequencyTable

MODELS = ("nrc2_4.10", "nrc2_4.4", "hw")
DEFAULT_THETA = 0.01


def check_theta(theta: float) -> float:
    """Return θ as float; raise :class:`DNAError` unless 0 <= θ < 1."""
    theta = float(theta)
    if not 0.0 <= theta < 1.0:
        raise DNAError(f"theta must be in [0, 1), got {theta}")
    return theta


def _check_p(p: float, what: str = "p") -> float:
    p = float(p)
    if not 0.0 < p <= 1.0:
        raise DNAError(f"allele frequency {what} must be in (0, 1], got {p}")
    return p


def homozygote_probability(p: float, theta: float = DEFAULT_THETA, model: str = "nrc2_4.10") -> float:
    """Probability of genotype AA (allele frequency ``p``).

    ``nrc2_4.10``: NRC II eq. 4.10a, [2θ+(1-θ)p][3θ+(1-θ)p]/[(1+θ)(1+2θ)];
    ``nrc2_4.4``: NRC II eq. 4.4a, p² + p(1-p)θ; ``hw``: NRC II eq. 4.1a, p².
    Raises :class:`DNAError` for p outside (0, 1], θ outside [0, 1) or an unknown model.
    """
    p, theta = _check_p(p), check_theta(theta)
    if model == "nrc2_4.10":
        return ((2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p)
                / ((1 + theta) * (1 + 2 * theta)))
    if model == "nrc2_4.4":
        return p * p + p * (1 - p) * theta
    if model == "hw":
        return p * p
    raise DNAError(f"unknown genotype model {model!r}; models: {', '.join(MODELS)}")


def heterozygote_probability(p: float, q: float, theta: float = DEFAULT_THETA,
                             model: str = "nrc2_4.10") -> float:
    """Probability of genotype AB (allele frequencies ``p``, ``q``).

    ``nrc2_4.10``: NRC II eq. 4.10b, 2[θ+(1-θ)p][θ+(1-θ)q]/[(1+θ)(1+2θ)];
    ``nrc2_4.4`` and ``hw``: NRC II eq. 4.1b, 2pq.
    Raises :class:`DNAError` as :func:`homozygote_probability`.
    """
    p, q, theta = _check_p(p), _check_p(q, "q"), check_theta(theta)
    if model == "nrc2_4.10":
        return (2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q)
                / ((1 + theta) * (1 + 2 * theta)))
    if model in ("nrc2_4.4", "hw"):
        return 2 * p * q
    raise DNAError(f"unknown genotype model {model!r}; models: {', '.join(MODELS)}")


def genotype_probability(freqs: tuple[float, ...] | list[float], theta: float = DEFAULT_THETA,
                         model: str = "nrc2_4.10") -> float:
    """Probability of a single-source genotype given its allele frequencies: one frequency
    for a homozygote, two for a heterozygote (see the two functions above).
    Raises :class:`DNAError` for any other count."""
    if len(freqs) == 1:
        return homozygote_probability(freqs[0], theta, model)
    if len(freqs) == 2:
        return heterozygote_probability(freqs[0], freqs[1], theta, model)
    raise DNAError(f"a single-source genotype has 1 or 2 alleles, got {len(freqs)}")


@dataclass(frozen=True)
class RareAlleleRule:
    """How to set the frequency of an allele that is rare or missing from the table.

    ``mode``:

    - ``"5/2N"`` (default, NRC II p. 148): every frequency below 5/(2N) is raised to
      5/(2N), and an allele absent from the table gets 5/(2N); N = individuals typed at the
      locus (:attr:`FrequencyTable.n_individuals`). Where the table has no N, ``fixed`` is
      used instead if given, else an absent allele raises MissingFrequencyError.
    - ``"fixed"``: the same with the floor ``fixed`` (e.g. 0.001) for every locus.
    - ``"none"``: table frequencies as they are; an absent allele raises
      :class:`MissingFrequencyError`.

    Every raised or substituted frequency is reported as a warning on the result.
    """

    mode: str = "5/2N"
    fixed: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("5/2N", "fixed", "none"):
            raise DNAError(f"unknown rare-allele mode {self.mode!r} (5/2N, fixed, none)")
        if self.mode == "fixed" and self.fixed is None:
            raise DNAError("rare-allele mode 'fixed' needs a value")
        if self.fixed is not None:
            _check_p(self.fixed, "fixed minimum")

    def minimum(self, table: FrequencyTable, locus: str) -> tuple[float | None, str]:
        """The floor for ``locus`` in ``table`` and a description of where it comes from."""
        if self.mode == "5/2N":
            n = table.n_individuals.get(locus)
            if n:
                return 5.0 / (2 * n), f"5/2N = 5/(2×{n})"
            if self.fixed is not None:
                return self.fixed, f"fixed minimum (N unknown for {locus} in {table.name})"
            return None, ""
        if self.mode == "fixed":
            return self.fixed, "fixed minimum"
        return None, ""

    def frequency(self, table: FrequencyTable, locus: str, allele: str) -> tuple[float, str | None]:
        """Frequency to use for ``allele`` at ``locus`` and a warning (or ``None``).

        Raises :class:`MissingFrequencyError` when the allele is absent and no floor applies.
        """
        f = table.frequency(locus, allele)
        floor, how = self.minimum(table, locus)
        if f is None:
            if floor is None:
                raise MissingFrequencyError(
                    f"{locus} allele {allele}: not in table {table.name} and no minimum "
                    f"allele frequency available (N unknown; give a fixed minimum)")
            return floor, (f"{locus} allele {allele}: not in table {table.name}; used minimum "
                           f"allele frequency {how} = {floor:.6g}")
        if floor is not None and f < floor:
            return floor, (f"{locus} allele {allele}: table frequency {f:.6g} in {table.name} is "
                           f"below the minimum; used {how} = {floor:.6g}")
        return f, None
