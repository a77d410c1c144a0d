"""French typography for text shown to readers: the spaces that French puts where
English puts none, and the spaces that must not break a line.

- a narrow no-break space (U+202F) before ``; : ! ?`` and inside ``« »``, whether the
  writer typed an ordinary space there, a no-break space or nothing;
- a no-break space (U+00A0) between the groups of a number or a phone number
  ("10 000", "+32 2 550 12 34"), before a percent or a euro sign, and in times such as
  "8 h" and "9 h 30".

It never touches URLs, email addresses, times such as 10:30, character references
(``&amp;``), HTML tags or their attributes, nor the content of ``<script>``, ``<style>``,
``<pre>`` and ``<code>``. Applying it twice gives the same text as applying it once.

Used by the ``typography`` template filter on French text where it is displayed, and by
``manage.py compile_translations`` on the French catalogue as it writes the ``.mo``.
"""

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

_SPACES = f" \t{NBSP}{NARROW_NBSP}"

# In HTML: comments, tags, and the elements whose text is not prose.
_HTML_SKIP = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|pre|code|textarea)\b[^>]*>.*?</\1\s*>"
    r"|<[a-zA-Z/!?][^>]*>",
    re.DOTALL | re.IGNORECASE,
)
# In any text: what must stay exactly as written.
_TEXT_SKIP = re.compile(
    r"(?:https?|ftp)://[^\s<>\"«»]+"
    r"|mailto:[^\s<>\"«»]+"
    r"|www\.[^\s<>\"«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);",
)

_BEFORE_MARK = re.compile(
    # Spaces already before the mark become one narrow no-break space...
    rf"[{_SPACES}]+(?=[;:!?])"
)
_MISSING_BEFORE_MARK = re.compile(
    # ...and one is added after a word, a closing quote or bracket when the mark ends a
    # phrase (followed by a space, the end, or more punctuation): "10:30" and "3:1"
    # stay as they are.
    r"(?<=[^\W_]|[»)\]’\"%])([;:!?])(?=$|[\s!?.,;:»)\]…])"
)
_AFTER_OPENING_QUOTE = re.compile(rf"«[{_SPACES}]*")
_BEFORE_CLOSING_QUOTE = re.compile(rf"[{_SPACES}]*»")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \t](?=\d)")
_BEFORE_UNIT = re.compile(r"(?<=\d)[ \t](?=[%€])")
_HOURS = re.compile(r"\b(\d{1,2})[ \t]h(?:[ \t](\d{2}))?\b")


def _prose(text: str) -> str:
    text = _BEFORE_MARK.sub(NARROW_NBSP, text)
    text = _MISSING_BEFORE_MARK.sub(NARROW_NBSP + r"\1", text)
    text = _AFTER_OPENING_QUOTE.sub("«" + NARROW_NBSP, text)
    text = _BEFORE_CLOSING_QUOTE.sub(NARROW_NBSP + "»", text)
    text = _HOURS.sub(
        lambda m: f"{m[1]}{NBSP}h" + (f"{NBSP}{m[2]}" if m[2] else ""),
        text,
    )
    text = _BETWEEN_DIGITS.sub(NBSP, text)
    return _BEFORE_UNIT.sub(NBSP, text)


def _text(text: str) -> str:
    """Prose between the parts that must stay as written (URLs, addresses, entities).

    The marks are decided on the whole text with the kept parts replaced by a
    placeholder, so that "voir https://example.org !" still gains its space."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return "\x00"

    masked = _TEXT_SKIP.sub(keep, text)
    done = _prose(masked)
    parts = done.split("\x00")
    out = [parts[0]]
    for original, rest in zip(kept, parts[1:], strict=True):
        out.append(original)
        out.append(rest)
    return "".join(out)


def french_typography(text: str, *, html: bool = False) -> str:
    """`text` with French spacing (see the module's docstring). With `html=True` the
    text is markup: tags, comments and code are kept as written and only the text
    between them changes, so sanitised HTML stays exactly as safe as it was."""
    if not text:
        return text
    if not html:
        return _text(text)
    out = []
    position = 0
    for match in _HTML_SKIP.finditer(text):
        out.append(_text(text[position : match.start()]))
        out.append(match[0])
        position = match.end()
    out.append(_text(text[position:]))
    return "".join(out)
