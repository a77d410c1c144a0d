"""The one allow-list for rich text: whatever an editor sends, only this reaches the database.

Headings, paragraphs, lists, links, emphasis, tables, images and quotes survive; scripts,
styles, iframes, event handlers, `style` attributes and `javascript:`/`data:` URLs do not.
"""

import nh3

ALLOWED_TAGS = {
    # headings and paragraphs
    "h2", "h3", "h4", "p", "br", "hr",
    # lists
    "ul", "ol", "li",
    # links and emphasis
    "a", "strong", "b", "em", "i", "u", "s", "sub", "sup", "abbr",
    # tables
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    # images
    "img", "figure", "figcaption",
    # quotes
    "blockquote", "q", "cite",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitise_html(html: str | None) -> str:
    """`html` reduced to the allow-list above; empty text for None."""
    if not html:
        return ""
    return _cleaner.clean(html).strip()
