"""Dates and times as the reader's language writes them, one style per language.

French: "1er avril 2027", "mercredi 31 mars 2027", "20 nov.", "9 h 30", "8 h – 18 h",
"20–22 mars 2024", "du 31 mars au 2 avril 2027". English: "1 April 2027",
"Wednesday 31 March 2027", "20 Nov", "9:30", "8:00 – 18:00", "20–22 March 2024",
"31 March – 2 April 2027". The words and the order come from the catalogue (pgettext
with the context "date"), so a third language is a translation, not code.

Every function takes an optional language (default: the active one); datetimes are shown
in the office's time zone.
"""

import datetime as dt

from django.utils import formats, timezone, translation
from django.utils.translation import pgettext


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _local_time(value: dt.time | dt.datetime) -> dt.time:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).time()
    return value


def _day_number(day: dt.date) -> str:
    if day.day == 1:
        # Translators: the first day of a month ("1er" in French).
        return pgettext("date", "1")
    return str(day.day)


def _day_month(day: dt.date) -> str:
    return pgettext("date", "%(day)s %(month)s") % {
        "day": _day_number(day),
        "month": formats.date_format(day, "F"),
    }


def _full(day: dt.date) -> str:
    return pgettext("date", "%(day_month)s %(year)s") % {
        "day_month": _day_month(day),
        "year": day.year,
    }


def date_long(
    value: dt.date | dt.datetime, *, weekday: bool = False, language: str | None = None
) -> str:
    """ "31 mars 2027" / "31 March 2027"; with `weekday`, "mercredi 31 mars 2027"."""
    with translation.override(language or translation.get_language()):
        day = _local(value)
        day = day.date() if isinstance(day, dt.datetime) else day
        text = _full(day)
        if weekday:
            text = pgettext("date", "%(weekday)s %(date)s") % {
                "weekday": formats.date_format(day, "l"),
                "date": text,
            }
        return text


def date_short(value: dt.date | dt.datetime, *, language: str | None = None) -> str:
    """ "20 nov." / "20 Nov": the day and the abbreviated month, for charts and tables
    where the year goes without saying."""
    with translation.override(language or translation.get_language()):
        day = _local(value)
        day = day.date() if isinstance(day, dt.datetime) else day
        return pgettext("date", "%(day)s %(month)s") % {
            "day": _day_number(day),
            # Translators: Django's date format letter of the abbreviated month: "M" is
            # "Nov", "N" is "nov." in French.
            "month": formats.date_format(day, pgettext("date", "M")),
        }


def day_month(value: dt.date | dt.datetime, *, language: str | None = None) -> str:
    """ "1er avril" / "1 April": a day of a year that goes without saying."""
    with translation.override(language or translation.get_language()):
        day = _local(value)
        return _day_month(day.date() if isinstance(day, dt.datetime) else day)


def day_of_week(
    value: dt.date | dt.datetime, *, short: bool = False, language: str | None = None
) -> str:
    """ "jeudi 1er avril" / "Thursday 1 April"; `short`, for lists of days: "jeu. 1er" /
    "Thu 1"."""
    with translation.override(language or translation.get_language()):
        day = _local(value)
        day = day.date() if isinstance(day, dt.datetime) else day
        return pgettext("date", "%(weekday)s %(date)s") % {
            "weekday": formats.date_format(day, "D" if short else "l"),
            "date": _day_number(day) if short else _day_month(day),
        }


def datetime_short(value: dt.datetime, *, language: str | None = None) -> str:
    """ "1er avril à 8 h 05" / "1 April at 8:05": a moment of a year that goes without
    saying."""
    with translation.override(language or translation.get_language()):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return pgettext("date", "%(date)s at %(time)s") % {
            "date": _day_month(moment.date()),
            "time": time_short(moment),
        }


def time_short(value: dt.time | dt.datetime, *, language: str | None = None) -> str:
    """ "9 h 30", "18 h" / "9:30", "18:00"; a time never breaks across lines."""
    with translation.override(language or translation.get_language()):
        moment = _local_time(value)
        if moment.minute:
            text = pgettext("time", "%(hour)s:%(minute)02d") % {
                "hour": moment.hour,
                "minute": moment.minute,
            }
        else:
            text = pgettext("time", "%(hour)s:00") % {"hour": moment.hour}
        return text.replace(" ", "\u00a0")


def time_range(
    start: dt.time | dt.datetime, end: dt.time | dt.datetime, *, language: str | None = None
) -> str:
    """ "8 h – 18 h" / "8:00 – 18:00"."""
    return f"{time_short(start, language=language)} – {time_short(end, language=language)}"


def datetime_long(
    value: dt.datetime, *, zone: bool = False, weekday: bool = False, language: str | None = None
) -> str:
    """ "31 mars 2027 à 21 h" / "31 March 2027, 21:00"; with `zone`, the zone's
    abbreviation after it (journalists read embargoes across Europe)."""
    with translation.override(language or translation.get_language()):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        text = pgettext("date", "%(date)s at %(time)s") % {
            "date": date_long(moment, weekday=weekday),
            "time": time_short(moment),
        }
        if zone and moment.tzname():
            text = f"{text} {moment.tzname()}"
        return text


def date_range(start: dt.date, end: dt.date, *, language: str | None = None) -> str:
    """One day, or two days of one month ("20–22 mars 2024"), of one year ("du 31 mars
    au 2 avril 2027" / "31 March – 2 April 2027"), or of two years."""
    with translation.override(language or translation.get_language()):
        start, end = _local(start), _local(end)
        if start == end:
            return _full(start)
        if (start.year, start.month) == (end.year, end.month):
            return pgettext("date range in one month", "%(start)s–%(end)s") % {
                "start": _day_number(start),
                "end": _full(end),
            }
        if start.year == end.year:
            return pgettext("date range in one year", "%(start)s – %(end)s") % {
                "start": _day_month(start),
                "end": _full(end),
            }
        return pgettext("date range across years", "%(start)s – %(end)s") % {
            "start": _full(start),
            "end": _full(end),
        }
