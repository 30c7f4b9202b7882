"""Mixtures: the semi-continuous (drop-out / drop-in) likelihood ratio of LRmix / Forensim.

Example (``poi``, ``victim``, ``replicates``: :class:`~habeas.dna.profile.Profile`;
``table``: :class:`~habeas.dna.frequencies.FrequencyTable`)::

    from habeas.dna.mixture import likelihood_ratio, standard_propositions, MixtureParameters
    hp, hd = standard_propositions(poi, [victim], unknowns_hp=1, unknowns_hd=2,
                                   dropout_poi=0.1, dropout_knowns=[0.05],
                                   dropout_unknown_hp=0.1, dropout_unknown_hd=0.1)
    result = likelihood_ratio(replicates, hp, hd, table,
                              MixtureParameters(dropin=0.05, theta=0.01,
                                                rare_allele_frequency=0.001))
    result.log10_lr, [l.log10_lr for l in result.loci], result.to_dict()

Modules: :mod:`.model` (the model and data classes), :mod:`.dropout` (Monte Carlo drop-out
estimation, sensitivity analysis, conservative LR), :mod:`.noc` (number of contributors),
:mod:`.plots` (matplotlib figures; imported lazily, never by the numeric code).
See docs/mixtures.md.
"""

from habeas.dna.mixture.model import (
    MODEL_NAME, MODEL_REFERENCES, Contributor, LocusLR, MixtureParameters, MixtureResult,
    PreparedCase, Proposition, evaluation_loci, likelihood_ratio, prepare,
    standard_propositions,
)

__all__ = [
    "MODEL_NAME", "MODEL_REFERENCES", "Contributor", "LocusLR", "MixtureParameters",
    "MixtureResult", "PreparedCase", "Proposition", "evaluation_loci", "likelihood_ratio",
    "prepare", "standard_propositions",
]
