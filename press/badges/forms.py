"""Forms of the badges area's office pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from press.badges.printing import LAYOUT_A4_4UP, LAYOUT_A6
from press.events.models import Event
from press.events.selectors import current_event

LAYOUT_CHOICES = [
    (LAYOUT_A6, _("One badge per A6 page")),
    (LAYOUT_A4_4UP, _("Four badges per A4 sheet, with crop marks")),
]


class PrintPendingForm(forms.Form):
    """Which event's approved badges not printed yet, on which layout."""

    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.order_by("-starts_on"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the events in the list.")},
    )
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=LAYOUT_CHOICES,
        initial=LAYOUT_A6,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the layouts in the list.")},
    )

    def clean_layout(self) -> str:
        return self.cleaned_data.get("layout") or LAYOUT_A6

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        event = current_event()
        if event is not None:
            self.fields["event"].initial = event.pk


class PrintSelectedForm(forms.Form):
    """Badges chosen in the back office, printed after a warning when some were printed
    before."""

    badge: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,  # set in __init__
        error_messages={
            "required": _("Choose at least one badge."),
            "invalid_choice": _("One of the chosen badges does not exist."),
            "invalid_pk_value": _("One of the chosen badges does not exist."),
        },
    )
    layout = forms.ChoiceField(
        choices=LAYOUT_CHOICES,
        initial=LAYOUT_A6,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the layouts in the list.")},
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from press.badges.models import Badge

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["badge"].queryset = Badge.objects.select_related(  # type: ignore[attr-defined]
            "badge_request__event", "printed_by"
        )

    def clean_layout(self) -> str:
        return self.cleaned_data.get("layout") or LAYOUT_A6
