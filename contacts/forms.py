"""The journalist's own forms: subscribing to the newsroom and the preference page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from press.core.forms import error_anchor
from press.releases.models import Topic


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_in()


class ChoicesForm(forms.Form):
    """What a journalist receives: the kinds of email, the language and the topics."""

    wants_releases = forms.BooleanField(label=_("Press releases"), required=False, initial=True)
    wants_invitations = forms.BooleanField(
        label=_("Invitations to our events and accreditation"), required=False, initial=True
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=())
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to receive every release."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        if not self.fields["topics"].queryset.exists():
            del self.fields["topics"]

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            "wants_releases": data["wants_releases"],
            "wants_invitations": data["wants_invitations"],
            "language": data["language"],
            "topics": list(data.get("topics") or []),
        }


class SubscriptionForm(ChoicesForm):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address: the confirmation is sent there."),
            "invalid": _("Enter a valid email address, such as name@outlet.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    outlet_name = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the press office keeps my name, address and choices to send me "
            "these emails. I can change my choices or unsubscribe from every email's link."
        ),
        error_messages={
            "required": _("Tick the box to agree: we cannot send you anything without it.")
        },
    )
    # Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "outlet_name",
        "wants_releases",
        "wants_invitations",
        "language",
        "topics",
        "consent",
    ]
    # The error summary names a field; the consent's label is a whole sentence.
    summary_labels = {"consent": _("Consent")}

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, short name, message) of each field error, in the form's order."""
        return [
            (error_anchor(field), str(self.summary_labels.get(field.name, field.label)), str(error))
            for field in self
            for error in field.errors
        ]

    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            raise forms.ValidationError(
                _("This request looks automated and was not sent."), code="honeypot"
            )
        return ""

    def clean(self):
        data = super().clean()
        if not data.get("wants_releases") and not data.get("wants_invitations"):
            self.add_error(
                "wants_releases",
                forms.ValidationError(
                    _("Choose at least one kind of email to subscribe to."), code="nothing"
                ),
            )
        return data


class PreferencesForm(ChoicesForm):
    """The preference page. Receiving nothing at all is unsubscribing: its own button."""
