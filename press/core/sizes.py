"""A file's size as readers write it: "1.2 MB" / "1,2 Mo", "350 KB" / "350 ko".

Decimal units (1 MB = 1,000,000 bytes), as file managers and phones show them; the
number in the reader's format (comma in French) and a no-break space before the unit.
"""

from django.utils import formats
from django.utils.translation import gettext, ngettext

KB = 1000
MB = KB * 1000
GB = MB * 1000


def file_size(size: int) -> str:
    """`size` bytes in the active language: bytes, kB (whole), MB and GB (one decimal)."""
    if size < KB:
        # Translators: a file size in bytes ("octets" in French).
        text = ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}
    elif size < MB:
        # Translators: a file size in kilobytes ("ko" in French).
        text = gettext("%(size)s KB") % {"size": formats.number_format(round(size / KB))}
    elif size < GB:
        # Translators: a file size in megabytes ("Mo" in French).
        text = gettext("%(size)s MB") % {"size": formats.number_format(size / MB, 1)}
    else:
        # Translators: a file size in gigabytes ("Go" in French).
        text = gettext("%(size)s GB") % {"size": formats.number_format(size / GB, 1)}
    return text.replace(" ", "\u00a0")
