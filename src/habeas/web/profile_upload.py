"""Upload STR profiles to a lab result, in any format :func:`habeas.dna.formats.read_profiles`
reads (long CSV, GeneMapper ID/ID-X export, LRmix Studio / EuroForMix tables).

Every sample in the file becomes one :class:`~habeas.cases.models.STRProfile` of the chosen
kind, all in one transaction; a file the reader refuses is shown as a form error naming the
file, line and field, and nothing is saved.
"""

from __future__ import annotations

import os
import re
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from habeas.cases.models import EvidenceItem, LabResult, Role, STRProfile
from habeas.dna.errors import DNAError
from habeas.dna.formats import profile_layout, read_profiles
from habeas.web.access import get_case_for

MAX_BYTES = 5 * 1024 * 1024  # a profile table is kilobytes; anything larger is not one


def read_uploaded_profiles(upload) -> tuple[str, list]:
    """Read an uploaded profile file (a Django ``UploadedFile``): ``(layout, profiles)``.

    The reader sees a file name of our own (a hostile name — "../x", NUL, 5 000 characters —
    never reaches the file system), with the upload's extension when it is a plain one; error
    messages name the upload as the user called it. Raises :class:`DNAError` (also for a
    file that is not text).
    """
    suffix = os.path.splitext(upload.name or "")[1].lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "profiles" + suffix)
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return profile_layout(path), read_profiles(path)
        except DNAError as exc:
            raise DNAError(str(exc).replace(path, upload.name).replace(os.path.basename(path), upload.name)) from None
        except UnicodeDecodeError:
            raise DNAError(f"{upload.name}: not a text table (UTF-8 or Latin-1 CSV/TSV).") from None


class ProfileUploadForm(forms.Form):
    file = forms.FileField(help_text="Long CSV (sample, marker, allele, height), GeneMapper ID/ID-X "
                                     "export, or an LRmix Studio / EuroForMix sample or reference table.")
    kind = forms.ChoiceField(choices=STRProfile.Kind.choices)
    evidence_item = forms.ModelChoiceField(queryset=EvidenceItem.objects.none(), required=False,
                                           help_text="Item the profile was typed from.")
    person_role = forms.ModelChoiceField(queryset=Role.objects.none(), required=False,
                                         label="Person (reference profiles)",
                                         help_text="Whose reference sample this is.")
    is_mixture = forms.BooleanField(required=False, label="Mixture (more than one contributor)")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_item"].queryset = case.evidence_items.all()
        self.fields["person_role"].queryset = case.roles.select_related("person")
        self.fields["person_role"].label_from_instance = lambda role: role.display_name
        self.profiles = []

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if data.get("kind") == STRProfile.Kind.REFERENCE and data.get("is_mixture"):
            raise forms.ValidationError("A reference profile is single-source; untick 'Mixture'.")
        if upload is None:
            return data
        if upload.size > MAX_BYTES:
            raise forms.ValidationError({"file": f"{upload.name}: {upload.size:,} bytes is too large for a profile table."})
        try:
            self.layout, self.profiles = read_uploaded_profiles(upload)
        except DNAError as exc:
            raise forms.ValidationError({"file": str(exc)})
        if not self.profiles:
            raise forms.ValidationError({"file": f"{upload.name}: no profile found."})
        if not data.get("is_mixture"):
            for p in self.profiles:
                crowded = [l for l, alleles in p.loci.items() if len(alleles) > 2]
                if crowded:
                    raise forms.ValidationError({"is_mixture": (
                        f"{p.sample} has more than two alleles at {', '.join(crowded)}: a single source "
                        "has at most two. Tick 'Mixture' if more than one person contributed.")})
        return data


@login_required
def profile_upload(request, case_pk: int, result_pk: int):
    """Add the profiles of an uploaded file to a lab result of a case the user may see."""
    case = get_case_for(request.user, case_pk)
    result = get_object_or_404(LabResult.objects.select_related("request"), pk=result_pk, request__case=case)
    initial = {"evidence_item": request.GET.get("item")} if request.GET.get("item", "").isdigit() else {}
    form = ProfileUploadForm(request.POST or None, request.FILES or None, case=case, initial=initial)
    back = case.get_absolute_url() + "#lab"
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            for p in form.profiles:
                STRProfile.objects.create(
                    lab_result=result, kind=d["kind"], sample_name=p.sample,
                    evidence_item=d["evidence_item"], person_role=d["person_role"],
                    loci={l: list(a) for l, a in p.loci.items()},
                    heights={l: list(h) for l, h in p.heights.items()},
                    source_format=form.layout, is_mixture=d["is_mixture"])
        messages.success(request, f"Added {len(form.profiles)} profile(s) to the result: "
                                  + ", ".join(p.sample for p in form.profiles))
        item = d["evidence_item"]
        return redirect(item.get_absolute_url() + "#dna" if item else back)
    return render(request, "web/form.html", {
        "form": form, "case": case, "back_url": back,
        "title": f"Add STR profiles to the {result.request.get_test_kind_display()} result "
                 f"of {result.partial('report_date') or 'an unknown date'}",
        "intro": "Each sample in the file becomes one profile. Statistics appear on the evidence "
                 "item's page, against every reference profile of the case.",
    })
