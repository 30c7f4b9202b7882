"""Recompute a case's comparison matrix in the background when one of its profiles changes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from habeas.cases.models import STRProfile

MATRIX_KIND = "dna.case_matrix"


def enqueue_matrix(case, user=None):
    """Queue a matrix computation for ``case`` unless one is already queued; returns the job."""
    from habeas.jobs.api import enqueue
    from habeas.jobs.models import Job

    pending = Job.objects.filter(case=case, kind=MATRIX_KIND, status=Job.Status.QUEUED).first()
    if pending is not None:
        return pending
    return enqueue(MATRIX_KIND, "habeas.dnaweb.tasks.case_matrix_job", case=case, user=user,
                   case_id=case.pk)


def _case_of(profile: STRProfile):
    try:
        return profile.lab_result.request.case
    except Exception:  # a profile being deleted with its lab result
        return None


@receiver(post_save, sender=STRProfile, dispatch_uid="dnaweb-matrix-on-save")
@receiver(post_delete, sender=STRProfile, dispatch_uid="dnaweb-matrix-on-delete")
def profile_changed(sender, instance: STRProfile, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    case = _case_of(instance)
    if case is not None:
        transaction.on_commit(lambda: enqueue_matrix(case))
