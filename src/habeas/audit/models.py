"""The audit log: append-only and hash-chained.

Each :class:`AuditEntry` stores the SHA-256 of its own content and of the entry before it
(``previous_hash``), in one chain over the whole log (``sequence`` 1, 2, 3 …). ``save``
refuses an update and ``delete`` refuses always; an edit or deletion made behind Django's
back (SQL) breaks the chain, and :func:`habeas.audit.chain.verify_audit_chain` names the entry.
"""

from __future__ import annotations

import hashlib
import json

from django.db import connection, models, transaction
from django.utils import timezone

from habeas.cases.models import AppendOnlyError


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Write"

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    timestamp = models.DateTimeField(editable=False)
    # who: the user's id and name as they were (no foreign key: deleting a user must not alter the log)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    # what
    action = models.CharField(max_length=5, choices=Action.choices)
    operation = models.CharField(max_length=10, blank=True,
                                 help_text="HTTP method of a request; create / update / delete of a record.")
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.Model, or the URL name.")
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # from where
    ip = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status of a request.")
    previous_hash = models.CharField(max_length=64, editable=False, blank=True)
    hash = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        who = self.username or "anonymous"
        what = f"{self.object_type} {self.object_id}".strip()
        return f"#{self.sequence} {self.timestamp:%Y-%m-%d %H:%M:%S} {who} {self.action} {what}"

    def content(self) -> dict:
        return {
            "sequence": self.sequence, "timestamp": self.timestamp.isoformat(),
            "user_id": self.user_id, "username": self.username, "action": self.action,
            "operation": self.operation, "object_type": self.object_type, "object_id": self.object_id,
            "case_id": self.case_id, "ip": self.ip, "path": self.path, "status": self.status,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256((self.previous_hash + payload).encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only")
        # One appender at a time: SQLite's IMMEDIATE transactions take the write lock at BEGIN, and on
        # PostgreSQL an advisory lock serialises appenders; so no savepoint and no retry are needed.
        with transaction.atomic(savepoint=False):
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(7202931)")
            last = AuditEntry.objects.order_by("-sequence").only("sequence", "hash").first()
            self.sequence = (last.sequence + 1) if last else 1
            self.previous_hash = last.hash if last else ""
            if self.timestamp is None:
                self.timestamp = timezone.now()
            self.hash = self.compute_hash()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are append-only and cannot be deleted")


def record(*, action: str, operation: str = "", object_type: str = "", object_id="", case_id=None,
           user=None, ip: str = "", path: str = "", status: int | None = None) -> AuditEntry:
    """Append one entry to the audit log."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    entry = AuditEntry(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action, operation=operation, object_type=object_type[:100],
        object_id=str(object_id if object_id is not None else "")[:64], case_id=case_id,
        ip=ip, path=path[:500], status=status,
    )
    entry.save()
    return entry
