"""The public form of a journalist's personal coverage link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from press.coverage.enums import CoverageKind
from press.coverage.items import CoverageError, coverage_url_normalise


class SubmitForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the article or broadcast"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CoverageKind, initial=CoverageKind.ONLINE)

    def clean_url(self):
        try:
            return coverage_url_normalise(self.cleaned_data["url"])
        except CoverageError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
