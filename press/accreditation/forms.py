"""The public badge request form, used to request and, from the status page, to correct."""

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from contacts.enums import OutletKind
from press.accreditation.enums import SelectionRuleKind
from press.accreditation.invitations import email_masked
from press.accreditation.kept import KeptUpload, upload_keep, upload_kept
from press.accreditation.models import BadgeRole, Equipment, FieldVisit, SelectionRule
from press.accreditation.requests import REQUEST_FIELDS
from press.accreditation.selectors import field_visits_full
from press.accreditation.uploads import document_clean, photo_clean
from press.core.dates import date_long, datetime_long
from press.core.forms import error_anchor
from press.core.phones import phone_e164
from press.core.text import OneLineTextValidator

FILE_FIELDS = ("photo", "press_card", "letter")
# One-line text that refuses invisible characters (press.core.text).
ONE_LINE_FIELDS = ("first_name", "last_name", "phone", "outlet_name", "press_card_number")
FIELDSETS = [
    (_("You"), ["first_name", "last_name", "email", "phone", "nationality", "role"]),
    (_("Your outlet"), ["outlet_name", "outlet_kind", "outlet_country", "outlet_website"]),
    (
        _("Press card or letter of assignment"),
        ["press_card_number", "press_card_country", "press_card", "letter"],
    ),
    (_("Photo for the badge"), ["photo", "reuse_photo"]),
    (
        _("Your attendance"),
        ["days", "field_visits", "interview_requests", "equipment", "accessibility_needs"],
    ),
]


_COUNTRY_OPTIONS: dict[str, str] = {}


def _country_choices():
    return [("", "—"), *countries]


def country_options_html(language: str) -> str:
    """The ``<option>`` list of every country, sorted and named in ``language``, built once
    per language and process: the form has several country selects of about 250 options."""
    if language not in _COUNTRY_OPTIONS:
        _COUNTRY_OPTIONS[language] = "".join(
            format_html('<option value="{}">{}</option>', code, name)
            for code, name in _country_choices()
        )
    return _COUNTRY_OPTIONS[language]


class CountrySelect(forms.Select):
    """A country select whose options come from :func:`country_options_html`; only the
    chosen option is marked per request. Attributes (id, required, aria-*) are as Django
    gives them to any select."""

    def use_required_attribute(self, initial) -> bool:
        # The cached options start with an empty one, so "required" applies; Django's
        # Select would look for it in its own (empty) choices.
        return not self.is_hidden

    def render(self, name, value, attrs=None, renderer=None):
        options = country_options_html(get_language() or settings.LANGUAGE_CODE)
        for chosen in self.format_value(value):
            if chosen:
                option = format_html('<option value="{}">', chosen)
                options = options.replace(option, option[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe(options)
        )


_COUNTRY_CODES: frozenset[str] = frozenset()


def country_codes() -> frozenset[str]:
    """The codes a country select accepts, read once per process (codes do not depend
    on the language)."""
    global _COUNTRY_CODES
    if not _COUNTRY_CODES:
        _COUNTRY_CODES = frozenset(code for code, _name in countries)
    return _COUNTRY_CODES


class CountryChoiceField(forms.ChoiceField):
    """A country chosen by its code. The list is neither built nor translated per form:
    the select renders the cached options (:class:`CountrySelect`) and a value is checked
    against :func:`country_codes`."""

    widget = CountrySelect

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)

    def valid_value(self, value) -> bool:
        return str(value) in country_codes()


class PhoneInput(forms.TextInput):
    input_type = "tel"


def _required(message) -> dict:
    return {"required": message}


def _free_text(label) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FieldVisitChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *args, full=(), **kwargs):
        self.full = set(full)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, visit):
        # In the event's time zone, not UTC: "10:00" is when the bus leaves.
        when = datetime_long(visit.starts_at, weekday=True)
        label = f"{visit.display_name()} — {when}"
        if visit.pk in self.full:
            label = _("%(visit)s (full)") % {"visit": label}
        return label


class BadgeRequestForm(forms.Form):
    required_css_class = "required"

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages=_required(_("Enter your first name.")),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages=_required(_("Enter your last name.")),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address such as name@outlet.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        error_messages=_required(_("Enter a phone number where the press office can reach you.")),
        widget=PhoneInput(attrs={"autocomplete": "tel"}),
    )
    nationality = CountryChoiceField(
        label=_("Nationality"),
        error_messages=_required(_("Choose your nationality.")),
    )
    outlet_name = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        error_messages=_required(_("Enter the name of your outlet.")),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    outlet_kind = forms.ChoiceField(
        label=_("Kind of outlet"),
        choices=OutletKind.choices,
        error_messages=_required(_("Choose the kind of outlet.")),
    )
    outlet_country = CountryChoiceField(
        label=_("Country of the outlet"),
        error_messages=_required(_("Choose the country of your outlet.")),
    )
    outlet_website = forms.URLField(
        label=_("Outlet website"),
        required=False,
        error_messages={
            "invalid": _("Enter the outlet's website address, such as https://outlet.com.")
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=BadgeRole.choices,
        error_messages=_required(_("Choose your role.")),
    )
    press_card_number = forms.CharField(label=_("Press card number"), max_length=60, required=False)
    press_card_country = CountryChoiceField(
        label=_("Press card issued in"),
        required=False,
    )
    press_card = forms.FileField(
        label=_("Press card (scan or photo)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    letter = forms.FileField(
        label=_("Letter of assignment from your editor"),
        required=False,
        help_text=_("Without a press card: PDF, JPEG or PNG, at most 10 MB."),
    )
    photo = forms.FileField(
        label=_("Photo for the badge"),
        help_text=_("A recent portrait, JPEG or PNG, at least 400×500 pixels, at most 10 MB."),
        error_messages=_required(_("Add a photo for your badge.")),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    days = forms.MultipleChoiceField(
        label=_("Days attending"),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Choose at least one day.")),
    )
    field_visits = FieldVisitChoice(
        label=_("Field visits"),
        queryset=FieldVisit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interview_requests = _free_text(_("Interview requests"))
    equipment = forms.MultipleChoiceField(
        label=_("Technical equipment"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_needs = _free_text(_("Accessibility needs"))
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as the privacy notice describes."),
        error_messages=_required(
            _("Tick the box to agree to the processing of your personal data.")
        ),
    )
    # Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        event,
        badge_request=None,
        invitation=None,
        returning=None,
        kept_tokens=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.badge_request = badge_request
        for name in ONE_LINE_FIELDS:
            field = self.fields[name]
            field.validators.append(OneLineTextValidator(field.label))
        if invitation is not None:
            # An invitation link may have been forwarded: the page shows no contact
            # details; left empty, they come from the record when the form is sent.
            self.fields["email"].required = False
            self.fields["email"].help_text = _(
                "Leave empty to use the address this invitation was sent to (%(email)s), "
                "or give another one."
            ) % {"email": email_masked(invitation.email)}
            journalist = invitation.journalist
            if journalist is not None and journalist.phone:
                self.fields["phone"].required = False
                self.fields["phone"].help_text = _(
                    "Leave empty to keep the number we have for you."
                )
        # A journalist accredited at an earlier edition, recognised by the invitation
        # sent to their address: they may reuse that request's photo.
        self.returning = returning if returning is not None and returning.photo else None
        if self.returning is not None:
            self.fields["photo"].required = False
            self.fields["photo"].help_text = _(
                "Or tick the box below to reuse the photo of your last request."
            )
            self.fields["reuse_photo"] = forms.BooleanField(
                label=_("Reuse the photo of my request for %(event)s")
                % {"event": self.returning.event.display_name()},
                required=False,
            )
        # Files kept from an earlier attempt of this browser session (press.accreditation.kept).
        self.kept: dict[str, KeptUpload] = {}
        if self.is_bound:
            for name in FILE_FIELDS:
                token = self.data.get(f"kept_{name}", "")
                kept = upload_kept(token=token) if token in set(kept_tokens) else None
                if kept is not None:
                    self.kept[name] = kept
                    self.fields[name].required = False
        self.fields["days"].choices = [
            (day.isoformat(), date_long(day, weekday=True)) for day in event.days
        ]
        self.full_visits = field_visits_full(event=event)
        visits = self.fields["field_visits"]
        visits.queryset = FieldVisit.objects.filter(event=event)
        visits.full = self.full_visits
        if not FieldVisit.objects.filter(event=event).exists():
            del self.fields["field_visits"]
        if badge_request is not None:
            # Correcting from the status page: the address, consent and files stay.
            for name in ("email", "consent", "homepage"):
                del self.fields[name]
            self.fields["photo"].required = False
            self.fields["photo"].help_text = _("Only to replace the photo already sent.")

    def fieldsets(self):
        return [
            (
                legend,
                [
                    {"field": self[name], "kept": self.kept.get(name)}
                    for name in names
                    if name in self.fields
                ],
            )
            for legend, names in FIELDSETS
        ]

    def error_links(self) -> list[dict]:
        """Each error of the form, with the id of the input it is about (None for one that
        is about the whole form), in the order of the page."""
        links = [{"anchor": None, "message": str(error)} for error in self.non_field_errors()]
        for name, field in self.fields.items():
            if name in ("consent",) or name not in self.errors:
                continue
            links.extend(self._field_links(name, field))
        if "consent" in self.errors:
            links.extend(self._field_links("consent", self.fields["consent"]))
        return links

    def _field_links(self, name, field) -> list[dict]:
        bound = self[name]
        anchor = error_anchor(bound)
        return [
            {"anchor": anchor, "label": bound.label, "message": str(error)}
            for error in self.errors[name]
        ]

    def keep_uploads(self) -> list[str]:
        """After a failed validation: keep every file that passed its own checks (and was
        just sent), so that the page can say so; returns the new tokens."""
        tokens = []
        for name in FILE_FIELDS:
            sent = self.files.get(name)
            clean = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if not sent or not clean or name in self.errors:
                continue
            token = upload_keep(file=clean, original_name=sent.name or name)
            kept = upload_kept(token=token)
            if kept is not None:
                self.kept[name] = kept
                tokens.append(token)
        return tokens

    def kept_tokens_used(self) -> list[str]:
        return [kept.token for kept in self.kept.values()]

    def _clean_file(self, name, check):
        file = self.cleaned_data.get(name)
        if file:
            return check(file)
        if name in self.kept:
            return self.kept[name].as_file()
        return None

    def clean_phone(self):
        """The number in E.164, national numbers read with the outlet's country (or the
        nationality, or the press office's country)."""
        phone = self.cleaned_data.get("phone", "")
        if not phone:
            return phone
        country = self.data.get("outlet_country") or self.data.get("nationality") or ""
        number = phone_e164(phone, country=str(country))
        if number is None:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not a phone number we can call; give it with the country "
                    "code, such as +32 470 12 34 56."
                ),
                code="invalid_phone",
                params={"value": phone},
            )
        return number

    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            raise forms.ValidationError(
                _("This request looks automated and was not sent."), code="honeypot"
            )
        return ""

    def clean_photo(self):
        return self._clean_file("photo", photo_clean)

    def _reused_photo(self):
        if self.returning is None or not self.cleaned_data.get("reuse_photo"):
            return None
        with self.returning.photo.open("rb") as earlier:
            content = earlier.read()
        return ContentFile(content, name=self.returning.photo.name.rsplit("/", 1)[-1])

    def clean_press_card(self):
        return self._clean_file("press_card", lambda f: document_clean(f, name="press-card"))

    def clean_letter(self):
        return self._clean_file("letter", lambda f: document_clean(f, name="letter"))

    def clean_field_visits(self):
        chosen = self.cleaned_data.get("field_visits")
        already = set()
        if self.badge_request is not None:
            already = set(self.badge_request.field_visits.values_list("pk", flat=True))
        full = [v for v in chosen if v.pk in self.full_visits and v.pk not in already]
        if full:
            raise forms.ValidationError(
                _("No place is left on: %(visits)s.")
                % {"visits": ", ".join(v.display_name() for v in full)},
                code="field_visit_full",
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        has_number = bool(cleaned.get("press_card_number"))
        current = self.badge_request
        has_card = bool(cleaned.get("press_card") or (current and current.press_card))
        has_letter = bool(cleaned.get("letter") or (current and current.letter))
        if self.returning is not None and not cleaned.get("photo"):
            if not cleaned.get("reuse_photo"):
                self.add_error("photo", _("Add a photo, or tick the box to reuse your last one."))
            elif (cleaned.get("email") or "").strip().lower() != self.returning.email.lower():
                self.add_error(
                    "reuse_photo",
                    _("Your last photo can only be reused with the address it was sent from."),
                )
        if has_number and not cleaned.get("press_card_country"):
            self.add_error("press_card_country", _("Say which country issued the press card."))
        if has_number and not has_card:
            self.add_error("press_card", _("Add a scan or a photo of the press card."))
        if not has_number and not has_letter:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Give a press card number with a scan of the card, or a letter of "
                        "assignment from your editor."
                    ),
                    code="no_credentials",
                ),
            )
        return cleaned

    def values(self) -> dict:
        """What the domain functions take: plain values, files and field visits apart."""
        data = {
            field: self.cleaned_data[field]
            for field in REQUEST_FIELDS
            if field in self.cleaned_data
        }
        data["days"] = sorted(self.cleaned_data.get("days", []))
        data["equipment"] = list(self.cleaned_data.get("equipment", []))
        data["press_card_country"] = self.cleaned_data.get("press_card_country") or ""
        return data

    def files_cleaned(self) -> dict:
        reused = None if self.cleaned_data.get("photo") else self._reused_photo()
        if reused is not None:
            return {**self._files_given(), "photo": reused}
        return self._files_given()

    def _files_given(self) -> dict:
        return {
            name: self.cleaned_data.get(name) for name in FILE_FIELDS if self.cleaned_data.get(name)
        }

    def visits(self):
        return list(self.cleaned_data.get("field_visits") or [])


def initial_from_request(badge_request) -> dict:
    """The status page's correction form starts from what the request holds."""
    initial = {field: getattr(badge_request, field) for field in REQUEST_FIELDS}
    initial["nationality"] = badge_request.nationality.code
    initial["outlet_country"] = badge_request.outlet_country.code
    initial["press_card_country"] = badge_request.press_card_country.code or ""
    initial["field_visits"] = list(badge_request.field_visits.all())
    return initial


def initial_from_returning(badge_request) -> dict:
    """A returning journalist's form starts from their last request, except what belongs
    to that edition (days, field visits, interviews, consent)."""
    initial = initial_from_request(badge_request)
    # Nor what would let whoever holds a forwarded invitation reach the journalist or
    # read their papers: the address and phone come from the record on submission.
    for name in (
        "days",
        "field_visits",
        "interview_requests",
        "email",
        "phone",
        "press_card_number",
    ):
        initial.pop(name, None)
    return initial


def initial_from_invitation(delivery) -> dict:
    """What the form may show of an invited journalist: their name and outlet, nothing
    that would let whoever holds a forwarded link reach them (address, phone)."""
    journalist = delivery.journalist
    initial: dict = {}
    if journalist is None:
        return initial
    initial.update(first_name=journalist.first_name, last_name=journalist.last_name)
    if journalist.outlet_id:
        outlet = journalist.outlet
        initial.update(
            outlet_name=outlet.name,
            outlet_kind=outlet.kind,
            outlet_country=outlet.country.code or "",
            outlet_website=outlet.website,
        )
    return initial


class ReviewDecisionForm(forms.Form):
    """A reviewer's decision on a request's page: the note to the journalist (the reason,
    for a rejection) and the checklist, which is stored with the decision."""

    note = forms.CharField(
        label=_("Note to the journalist (the reason, for a rejection)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    photo_usable = forms.BooleanField(label=_("Photo usable for the badge"), required=False)
    press_card_valid = forms.BooleanField(label=_("Press card valid"), required=False)
    press_card_number = forms.CharField(label=_("Press card number"), required=False, max_length=60)
    press_card_issuer = forms.CharField(label=_("Issuing body"), required=False, max_length=200)
    press_card_expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    letter_dated = forms.BooleanField(label=_("Letter of assignment dated"), required=False)
    outlet_verified = forms.BooleanField(label=_("Outlet verified"), required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    CHECKLIST = (
        "photo_usable",
        "press_card_valid",
        "press_card_number",
        "press_card_issuer",
        "press_card_expires_on",
        "letter_dated",
        "outlet_verified",
    )

    def checklist(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.CHECKLIST},
            "press_card_number": data["press_card_number"].strip(),
            "press_card_issuer": data["press_card_issuer"].strip(),
        }

    def checklist_fields(self):
        return [self[name] for name in self.CHECKLIST]


class SelectionRuleForm(forms.ModelForm):
    outlet_kinds = forms.MultipleChoiceField(
        label=_("outlet kinds"),
        choices=OutletKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a priority rule: the kinds of outlet it puts first."),
    )

    class Meta:
        model = SelectionRule
        fields = ["position", "kind", "outlet_kinds", "limit"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == SelectionRuleKind.PRIORITY and not data.get("outlet_kinds"):
            self.add_error("outlet_kinds", _("A priority rule needs at least one outlet kind."))
        if data.get("kind") == SelectionRuleKind.OUTLET_CAP and not data.get("limit"):
            self.add_error(
                "limit", _("At most 0 per outlet would select nobody: choose 1 or more.")
            )
        return data


class SelectionForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed of the draw"),
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The same seed, requests and rules give the same selection."),
    )
