from django import forms

from habeas.documents.models import Document
from habeas.documents.sniff import SUPPORTED_EXTENSIONS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files", help_text="PDF, DOCX, plain text, PNG, JPEG or TIFF; several at once. "
                                 "Scans are read by OCR in the background.")
    kind = forms.ChoiceField(choices=Document.Kind.choices, initial=Document.Kind.OTHER)
    title = forms.CharField(max_length=300, required=False,
                            help_text="Leave blank to use each file's name.")
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           help_text="Date of the document (filed, written, reported).")
    author = forms.CharField(max_length=300, required=False, help_text="Court, agency, lab or writer.")
    bates_start = forms.CharField(max_length=50, required=False, label="First Bates number")
    bates_end = forms.CharField(max_length=50, required=False, label="Last Bates number")
    citation = forms.CharField(max_length=200, required=False,
                               help_text="Reporter citation, when the document is an opinion (e.g. 255 F.3d 1104).")
    privileged = forms.BooleanField(required=False, label="Privileged / attorney work product",
                                    help_text="Shown only to the attorneys on the case and administrators.")

    def __init__(self, *args, privileged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not privileged:  # only those who may see privileged material may mark it so
            del self.fields["privileged"]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "date", "author", "bates_start", "bates_end", "citation", "privileged"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, privileged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not privileged:
            del self.fields["privileged"]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=500, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'words, "a phrase", prefix*'}))
    kind = forms.ChoiceField(choices=[("", "Any kind")] + list(Document.Kind.choices), required=False)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        return data
