from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from press.core.phones import phone_display

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each interface language, for the language switch."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            label = str(translation.gettext(name))
        links.append(
            {
                "code": code,
                "label": label,
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def in_language(translated: dict, language: str) -> str:
    """{{ event.name|in_language:"en" }}: one language of a translated text field."""
    from press.core.translated import pick

    return pick(translated, language)


@register.filter(is_safe=True)
def typography(text, language: str | None = None):
    """{{ version.body|safe|typography:version.language }}: French spacing on French text
    (press.core.typography), for display only; other languages pass unchanged. Markup
    marked safe keeps its tags and attributes exactly; other text stays escaped."""
    from django.utils.safestring import SafeData, mark_safe

    from press.core.typography import french_typography

    if text is None or text == "":
        return text
    language = language or translation.get_language() or ""
    if not str(language).lower().startswith("fr"):
        return text
    if isinstance(text, SafeData):
        return mark_safe(french_typography(str(text), html=True))  # noqa: S308
    return french_typography(str(text))


@register.filter
def long_date(value, style: str = ""):
    """{{ day|long_date }} "31 mars 2027"; {{ day|long_date:"weekday" }} with the day's
    name (press.core.dates: one date style per language). Takes a date or its ISO text
    ("2027-03-31", as a request's days are stored)."""
    import datetime as dt

    from press.core.dates import date_long

    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value)
    return date_long(value, weekday=style == "weekday") if value else ""


@register.filter
def long_datetime(value, style: str = ""):
    """{{ moment|long_datetime }} "31 mars 2027 à 21 h"; "zone" adds the time zone."""
    from press.core.dates import datetime_long

    return datetime_long(value, zone="zone" in style, weekday="weekday" in style) if value else ""


@register.filter
def short_datetime(value):
    """{{ moment|short_datetime }}: "1er avril à 8 h 05" / "1 April at 8:05"."""
    from press.core.dates import datetime_short

    return datetime_short(value) if value else ""


@register.filter
def short_time(value):
    """{{ moment|short_time }}: "9 h 30" / "9:30"."""
    from press.core.dates import time_short

    return time_short(value) if value else ""


@register.simple_tag
def date_range(start, end):
    """{% date_range event.starts_on event.ends_on %}: "20–22 mars 2024"."""
    from press.core.dates import date_range as format_range

    return format_range(start, end) if start and end else ""


@register.filter
def file_size(value):
    """{{ attachment.size|file_size }}: "1.2 MB" / "1,2 Mo"."""
    from press.core.sizes import file_size as format_size

    return format_size(int(value or 0))


@register.filter
def phone(value):
    """A stored E.164 number as the press office dials it: national format for a number
    of its own country (settings.PRESS_OFFICE_COUNTRY), international otherwise."""
    return phone_display(str(value or ""))
