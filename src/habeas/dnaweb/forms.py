from django import forms

STRINGENCY = [("", "LR ranking"), ("high", "High stringency"), ("moderate", "Moderate stringency"),
              ("low", "Low stringency")]
FAMILIAL = [("", "—"), ("parent-child", "Parent–child"), ("full-sibling", "Full sibling"),
            ("half-sibling", "Half sibling")]


class SearchForm(forms.Form):
    db = forms.ChoiceField(label="Database", choices=())
    sample = forms.FileField(label="Evidence profile file",
                             help_text="Long CSV (sample, marker, allele), GeneMapper or LRmix "
                                       "layout; several profiles = replicates of a mixture.")
    known = forms.FileField(label="Known contributor(s)", required=False,
                            help_text="Profiles assumed present under both propositions.")
    contributors = forms.IntegerField(label="Contributors", required=False, min_value=1, max_value=5,
                                      help_text="Default: 1, or ⌈max alleles / 2⌉.")
    dropout = forms.FloatField(label="Drop-out", required=False, min_value=0, max_value=0.99)
    dropin = forms.FloatField(label="Drop-in", required=False, min_value=0, max_value=0.99)
    theta = forms.FloatField(label="θ", initial=0.01, min_value=0, max_value=0.5)
    freqs = forms.ChoiceField(label="Frequencies", choices=())
    rare_freq = forms.FloatField(label="Rare-allele frequency", required=False, min_value=1e-9,
                                 max_value=0.5, help_text="Default 5/2N.")
    threshold = forms.FloatField(label="Report LR above", required=False, min_value=0)
    top = forms.IntegerField(label="Top", initial=20, min_value=1, max_value=1000)
    stringency = forms.ChoiceField(label="Search", choices=STRINGENCY, required=False)
    max_mismatches = forms.IntegerField(label="Mismatching loci allowed", initial=0, min_value=0,
                                        max_value=10, required=False)
    familial = forms.ChoiceField(label="Familial (kinship index)", choices=FAMILIAL, required=False)

    def __init__(self, *args, databases=(), tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["db"].choices = [(d, d) for d in databases]
        self.fields["freqs"].choices = [(t, t) for t in tables]
        self.fields["freqs"].initial = "NIST1036_Cauc"
