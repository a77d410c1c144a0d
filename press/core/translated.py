"""Short texts held in every content language: a JSON object {language code: text}.

Used for names and short labels (an event's name, a subject line, a caption) where one
row per language would be heavy. A third language in settings.LANGUAGES needs no
schema change: the admin form grows one input. Long content (a release's body) uses
rows instead, see press.releases.models.ReleaseVersion.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def fallback_order(preferred: str | None) -> list[str]:
    """The preferred language first, then the others in settings order."""
    languages = content_languages()
    if preferred in languages:
        return [preferred] + [code for code in languages if code != preferred]
    return languages


def pick(values: dict | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the first one that exists."""
    values = values or {}
    for code in fallback_order(language or translation.get_language()):
        if values.get(code):
            return values[code]
    return ""


class TranslatedTextWidget(forms.MultiWidget):
    template_name = "core/widgets/translated.html"

    def __init__(self, attrs: dict[str, Any] | None = None, textarea: bool = False) -> None:
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        self.languages = content_languages()
        super().__init__([widget] * len(self.languages), attrs)

    def decompress(self, value: dict[str, str] | None) -> list[str]:
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, code in zip(context["widget"]["subwidgets"], self.languages, strict=True):
            subwidget["language"] = language_name(code)
            subwidget["language_code"] = code
        return context


class TranslatedFormField(forms.MultiValueField):
    """One input per language; the default language is required when the field is."""

    def __init__(
        self,
        *,
        max_length: int | None = None,
        textarea: bool = False,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        self.languages = content_languages()
        fields = [
            forms.CharField(max_length=max_length, required=False) for _code in self.languages
        ]
        super().__init__(
            fields=fields,
            widget=TranslatedTextWidget(textarea=textarea),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list: list[str] | None) -> dict[str, str]:
        data_list = data_list or [""] * len(self.languages)
        return {
            code: (text or "").strip()
            for code, text in zip(self.languages, data_list, strict=True)
            if (text or "").strip()
        }

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(_("Fill in at least one language."), code="required")


class TranslatedTextField(models.JSONField):
    """A JSON column holding {language: text}, edited as one input per language."""

    def __init__(
        self, *args: Any, max_length: int | None = None, textarea: bool = False, **kwargs: Any
    ) -> None:
        self.text_max_length = max_length
        self.textarea = textarea
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if self.textarea:
            kwargs["textarea"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(
            form_class=TranslatedFormField,
            show_hidden_initial=False,
            max_length=self.text_max_length,
            textarea=self.textarea,
            required=not self.blank,
            **kwargs,
        )
