from __future__ import annotations

from django import forms

from habeas.petitions.packet import KINDS


class PacketForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, v["title"]) for k, v in KINDS.items()], widget=forms.RadioSelect,
                             initial="clemency")
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("docx", "Word (.docx)")], widget=forms.RadioSelect,
                               initial="pdf")
    organisation = forms.CharField(required=False, max_length=200,
                                   help_text="Shown on the cover and signature block.")
    documents = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                          label="Exhibits", help_text="Documents to list in the exhibit index.")

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(documents)
        self.fields["documents"].initial = [value for value, _ in documents]
        if not documents:
            del self.fields["documents"]
