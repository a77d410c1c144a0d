"""The public form of a journalist's personal coverage link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from press.core.text import OneLineTextValidator
from press.coverage.enums import CoverageKind
from press.coverage.items import CoverageError, coverage_url_normalise

URL_LABEL = _("Address of the article or broadcast")


class SubmitForm(forms.Form):
    url = forms.CharField(
        label=URL_LABEL,
        max_length=2000,
        # A right-to-left override could make one address look like another.
        validators=[OneLineTextValidator(URL_LABEL)],
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CoverageKind, initial=CoverageKind.ONLINE)

    def clean_url(self):
        try:
            return coverage_url_normalise(self.cleaned_data["url"])
        except CoverageError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
