"""Audit trail and account security of habeas (issue 9).

* :class:`habeas.audit.models.AuditEntry` — an append-only, hash-chained log of reads and
  writes of case data: who, what, when, from where.
* :mod:`habeas.audit.middleware` writes one entry per request to a case-data URL;
  :mod:`habeas.audit.signals` one per created, changed or deleted record of ``habeas.cases``.
* :mod:`habeas.audit.chain` verifies the audit chain and every custody chain
  (``habeas verify``).
* :mod:`habeas.audit.otp` asks users who enrolled a TOTP device for their code.

See docs/security.md.
"""
