from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

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
