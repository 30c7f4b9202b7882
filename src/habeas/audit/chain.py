"""Verification of the hash chains: every evidence item's custody chain and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit_chain() -> list[str]:
    """Recompute the audit chain; name each entry that was edited, and each gap (deleted entries)."""
    from habeas.audit.models import AuditEntry
    from habeas.cases.models import hash_chain_problems

    def gap(expected: int, found: int) -> str:
        gone = f"#{expected}" if found == expected + 1 else f"#{expected}–#{found - 1}"
        return f"audit {gone}: deleted (chain jumps to #{found})"

    return hash_chain_problems(AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000),
                               where=lambda entry: f"audit #{entry.sequence} (id {entry.pk})", gap=gap)


def verify_all() -> Report:
    """Every custody chain (one per evidence item) and the audit chain."""
    from habeas.cases.models import EvidenceItem, verify_chain

    report = Report()
    for item in EvidenceItem.objects.select_related("case").order_by("case_id", "pk"):
        report.chains += 1
        report.problems += [f"case {item.case_id} custody {p}" for p in verify_chain(item)]
    report.chains += 1
    report.problems += verify_audit_chain()
    return report
