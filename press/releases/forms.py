"""The newsroom's public forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from press.events.models import Event
from press.releases.models import Release
from press.releases.selectors import newsroom_topics
from press.releases.text import QUERY_MAX_LENGTH


class NewsroomFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput,
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, events, years, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (topic.slug, topic.name_in()) for topic in topics
        ]
        self.fields["event"].choices = [("", _("All events"))] + [
            (event.slug, str(event)) for event in events
        ]
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]

    def filters(self) -> dict:
        """The valid filters, ready for newsroom_releases (none when the form is not)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def newsroom_filter_form(data) -> NewsroomFilterForm:
    public = Release.objects.public()
    events = Event.objects.filter(releases__in=public).distinct().order_by("-starts_on")
    years = sorted({day.year for day in public.dates("publish_at", "year")}, reverse=True)
    return NewsroomFilterForm(data or None, events=events, years=years, topics=newsroom_topics())
