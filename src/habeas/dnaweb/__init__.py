"""DNA pages: the case-wide comparison matrix and database searches (background jobs).

The statistics are :mod:`habeas.dna` (pure library); this app only stores nothing of its own:
results live in :class:`habeas.jobs.models.Job` rows (``kind`` ``dna.case_matrix`` and
``dna.db_search``), so the app has no models and no migrations.
"""
