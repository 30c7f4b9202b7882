"""habeas — post-conviction innocence and clemency case work.

``habeas.dna`` is a pure forensic-statistics library (NumPy/SciPy only); the rest is a
Django application (see ``habeas.settings``) driven by the ``habeas`` command.
"""

__version__ = "0.1.0"
