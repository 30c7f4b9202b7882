"""The REST API of habeas (Django REST framework, OpenAPI 3 schema by drf-spectacular).

Everything lives under ``/api/``; see ``docs/api.md``. Access follows the web UI's rule,
:func:`habeas.web.access.visible_cases`: a user sees the cases on whose team they are (a
:class:`~habeas.cases.models.CaseMembership`), staff see all.
"""
