"""Audit entries for writes of case records: every ``post_save`` / ``post_delete`` of a model of
``habeas.cases`` (bulk ``QuerySet.update`` and raw SQL bypass signals — and are exactly what
the hash chains of custody events and of this log make visible)."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from habeas.audit.context import client_ip, current_request, suspended


def case_id_of(obj):
    """The id of the case a record belongs to (following foreign keys up to the case), or None."""
    from habeas.cases.models import Case

    for _ in range(4):
        if obj is None:
            return None
        if isinstance(obj, Case):
            return obj.pk
        if getattr(obj, "case_id", None) is not None:
            return obj.case_id
        parent = None
        for name in ("evidence_item", "lab_result", "request", "lab_request", "conviction", "claim"):
            field = getattr(type(obj), name, None)
            if field is not None and hasattr(field, "field"):
                try:
                    parent = getattr(obj, name)
                except Exception:  # the parent is being deleted in the same cascade
                    parent = None
                if parent is not None:
                    break
        obj = parent
    return None


def _record(instance, operation: str) -> None:
    if suspended.get():
        return
    from habeas.audit.models import record

    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    record(action="write", operation=operation, object_type=instance._meta.label,
           object_id=instance.pk, case_id=case_id_of(instance), user=user,
           ip=client_ip(request) if request is not None else "",
           path=request.path if request is not None else "")


def on_save(sender, instance, created, raw=False, **kwargs):
    if not raw:
        _record(instance, "create" if created else "update")


def on_delete(sender, instance, **kwargs):
    _record(instance, "delete")


def connect() -> None:
    for model in apps.get_app_config("cases").get_models():
        post_save.connect(on_save, sender=model, dispatch_uid=f"habeas.audit.save.{model._meta.label}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"habeas.audit.delete.{model._meta.label}")
