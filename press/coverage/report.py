"""The post-event coverage report for the organisers (PDF, reportlab) and the coverage
export (xlsx, through press.core.spreadsheets, formula-safe).

The PDF: a cover, the summary figures (requests, accredited, attended, items by
country, language, kind and outlet, the releases with their open and click rates),
bar charts, then the clippings list with headline, outlet, date and link. Text is set
in Noto Sans so that every European name prints (Helvetica has no Ł or Cyrillic).
"""

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import IO, Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_countries import countries
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from press.core.dates import date_long
from press.core.spreadsheets import write_xlsx
from press.core.translated import language_name
from press.coverage.enums import CoverageKind, CoverageSource
from press.coverage.models import CoverageItem
from press.coverage.selectors import CoverageSummary, coverage_summary
from press.events.models import Event

FONT = "PresseSans"
INK = colors.HexColor("#0B3D63")
BAR = colors.HexColor("#2F6FA3")
MUTED = colors.HexColor("#5B6775")


def _register_font() -> str:
    """Noto Sans from the fontpkg-noto-sans package, registered once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    import fontpkg_noto_sans

    path = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return formats.number_format(round(100 * value, 1), decimal_pos=1) + "\u202f%"


def number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def country_label(code: str) -> str:
    return str(dict(countries).get(code, code)) if code else _("Unknown")


def kind_label(code: str) -> str:
    return str(dict(CoverageKind.choices).get(code, code)) if code else _("Unknown")


def lang_label(code: str) -> str:
    """A language's name in the reader's language (any language Django knows)."""
    if not code:
        return _("Unknown")
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return str(language_name(code))


def labelled(summary: CoverageSummary) -> dict[str, tuple[str, list[tuple[str, int]]]]:
    """The report's breakdowns with their titles and labels in the active language."""
    return {
        "country": (_("Items by country"), [(country_label(c), n) for c, n in summary.by_country]),
        "language": (
            _("Items by language"),
            [(lang_label(c), n) for c, n in summary.by_language],
        ),
        "kind": (_("Items by kind"), [(kind_label(c), n) for c, n in summary.by_kind]),
        "outlet": (
            _("Items by outlet (first 15)"),
            [(name or _("Unknown"), n) for name, n in summary.by_outlet],
        ),
    }


class BarChart(Flowable):
    """Horizontal bars with their labels and values, drawn as vector shapes."""

    def __init__(self, rows: Sequence[tuple[str, int]], *, width: float, font: str):
        super().__init__()
        self.rows = list(rows)[:15]
        self.width = width
        self.row_height = 6 * mm
        self.height = max(1, len(self.rows)) * self.row_height
        self.font = font

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        drawing = Drawing(self.width, self.height)
        label_width = self.width * 0.35
        bar_space = self.width - label_width - 18 * mm
        top = max((count for _label, count in self.rows), default=0) or 1
        for index, (label, count) in enumerate(self.rows):
            y = self.height - (index + 1) * self.row_height + 1.5 * mm
            text = label if len(label) <= 32 else label[:31] + "…"
            drawing.add(String(0, y, text, fontName=self.font, fontSize=8, fillColor=INK))
            bar = bar_space * count / top
            drawing.add(
                Rect(label_width, y - 1, max(bar, 0.5), 4 * mm, fillColor=BAR, strokeColor=None)
            )
            drawing.add(
                String(label_width + bar + 2 * mm, y, number(count), fontName=self.font, fontSize=8)
            )
        drawing.drawOn(self.canv, 0, 0)


@dataclass(frozen=True)
class ClippingLayout:
    """The clippings measured once for a column width: each row's headline lines and
    link as shown, and where each row starts from the top of the whole list (a part's
    height and a page's split are then a subtraction and a search, not a sum)."""

    rows: list[tuple[str, str, str, str]]  # headline, url, outlet, date
    lines: list[list[str]]
    links: list[str]
    outlets: list[str]
    offsets: list[float]


class ClippingList(Flowable):
    """The clippings list: headline (wrapped) over its link, outlet, date; the header
    repeats on every page. Laid out with plain string widths and drawn as text on the
    canvas, not as a table of paragraphs: thousands of rows stay quick to typeset.
    A part of the list split onto the next page shares the measured layout."""

    FONT_SIZE = 8
    LEADING = 10
    PAD = 3

    def __init__(
        self,
        rows: list[tuple[str, str, str, str]],
        *,
        width: float,
        font: str,
        headers: tuple[str, str, str],
        layout: ClippingLayout | None = None,
        start: int = 0,
        end: int | None = None,
    ):
        super().__init__()
        self.width = width
        self.font = font
        self.headers = headers
        self.columns = (0.0, width * 0.6, width * 0.85)
        self.header_height = self.LEADING + 2 * self.PAD
        self.layout = layout or self._lay_out(rows)
        self.start, self.end = start, len(rows) if end is None else end

    def _fit(self, text: str, width: float) -> str:
        if stringWidth(text, self.font, self.FONT_SIZE) <= width:
            return text
        while text and stringWidth(text + "…", self.font, self.FONT_SIZE) > width:
            text = text[: int(len(text) * 0.9)]
        return text + "…"

    def _lay_out(self, rows: list[tuple[str, str, str, str]]) -> ClippingLayout:
        first = self.columns[1] - self.PAD * 2
        second = self.columns[2] - self.columns[1] - self.PAD * 2
        lines = [
            simpleSplit(headline, self.font, self.FONT_SIZE, first) or [""]
            for headline, _url, _outlet, _date in rows
        ]
        heights = [(len(row) + 1) * self.LEADING + 2 * self.PAD for row in lines]
        return ClippingLayout(
            rows=rows,
            lines=lines,
            links=[self._fit(url, first) for _headline, url, _outlet, _date in rows],
            outlets=[self._fit(outlet, second) for _headline, _url, outlet, _date in rows],
            offsets=list(accumulate(heights, initial=0.0)),
        )

    def _part(self, start: int, end: int) -> "ClippingList":
        # A new flowable, not a copy: the document marks the ones it had to postpone.
        return ClippingList(
            self.layout.rows,
            width=self.width,
            font=self.font,
            headers=self.headers,
            layout=self.layout,
            start=start,
            end=end,
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        offsets = self.layout.offsets
        self.height = self.header_height + offsets[self.end] - offsets[self.start]
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        offsets = self.layout.offsets
        limit = offsets[self.start] + available_height - self.header_height
        end = min(self.end, bisect_right(offsets, limit) - 1)
        if end <= self.start:
            return []
        return [self._part(self.start, end), self._part(end, self.end)]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.setFillColor(INK)
        canvas.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.font, 8.5)
        baseline = top - self.PAD - self.LEADING + 2
        for x, header in zip(self.columns, self.headers, strict=True):
            canvas.drawString(x + self.PAD, baseline, header)
        y = top - self.header_height
        canvas.setFont(self.font, self.FONT_SIZE)
        canvas.setStrokeColor(colors.HexColor("#D5DCE3"))
        canvas.setLineWidth(0.25)
        layout = self.layout
        for index in range(self.start, self.end):
            _headline, url, _outlet, date = layout.rows[index]
            lines, shown_url, outlet = (
                layout.lines[index],
                layout.links[index],
                layout.outlets[index],
            )
            height = layout.offsets[index + 1] - layout.offsets[index]
            baseline = y - self.PAD - self.LEADING + 2
            canvas.setFillColor(colors.black)
            for line in lines:
                canvas.drawString(self.PAD, baseline, line)
                baseline -= self.LEADING
            canvas.drawString(self.columns[1] + self.PAD, y - self.PAD - self.LEADING + 2, outlet)
            canvas.drawString(self.columns[2] + self.PAD, y - self.PAD - self.LEADING + 2, date)
            canvas.setFillColor(BAR)
            canvas.drawString(self.PAD, baseline, shown_url)
            link_width = stringWidth(shown_url, self.font, self.FONT_SIZE)
            canvas.linkURL(
                url, (self.PAD, baseline - 2, self.PAD + link_width, baseline + 8), relative=1
            )
            y -= height
            canvas.line(0, y, self.width, y)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontSize=26, leading=32, textColor=INK),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=14, leading=20, textColor=MUTED),
        "h2": ParagraphStyle(
            "h2", base, fontSize=14, leading=18, textColor=INK, spaceBefore=8, spaceAfter=6
        ),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
    }


def _table(rows: list[list[Any]], *, widths: list[float], font: str, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#D5DCE3")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), INK),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ]
    table.setStyle(TableStyle(commands))
    return table


def summary_figures(summary: CoverageSummary) -> list[tuple[str, str]]:
    """The headline figures, labelled, in the active language."""
    attended = number(summary.attended) if summary.attended is not None else _("not recorded")
    return [
        (_("Badge requests"), number(summary.requests)),
        (_("Accredited journalists"), number(summary.accredited)),
        (_("Attended (checked in)"), attended),
        (_("Coverage items"), number(summary.items)),
        (
            _("Estimated audience (an estimate, not a measurement)"),
            number(summary.estimated_audience),
        ),
    ]


def _clippings(event: Event) -> Iterator[CoverageItem]:
    return (
        CoverageItem.objects.filter(event=event)
        .order_by("published_on", "pk")
        .only("headline", "outlet_name", "published_on", "url", "kind")
        .iterator(chunk_size=500)
    )


def coverage_report_write(*, event: Event, target: str | IO[bytes]) -> CoverageSummary:
    """Write the PDF report of `event` to `target` (a path or a binary file), in the
    active language. Returns the summary it printed."""
    font = _register_font()
    styles = _styles(font)
    summary = coverage_summary(event=event)
    width = A4[0] - 36 * mm
    story: list[Flowable] = [
        Spacer(1, 60 * mm),
        Paragraph(escape(_("Coverage report")), styles["title"]),
        Paragraph(escape(event.display_name()), styles["subtitle"]),
        Paragraph(
            escape(
                f"{event.city} · {formats.date_format(event.starts_on, 'j F Y')} – "
                f"{formats.date_format(event.ends_on, 'j F Y')}"
            ),
            styles["subtitle"],
        ),
        Spacer(1, 20 * mm),
        Paragraph(
            escape(
                _("Prepared by the press office on %(date)s.")
                % {"date": date_long(timezone.localdate())}
            ),
            styles["small"],
        ),
        PageBreak(),
        Paragraph(escape(_("Summary")), styles["h2"]),
        _table(
            [[escape(label), value] for label, value in summary_figures(summary)],
            widths=[width * 0.7, width * 0.3],
            font=font,
            header=False,
        ),
    ]
    for title, rows in labelled(summary).values():
        block: list[Flowable] = [Paragraph(escape(title), styles["h2"])]
        if rows:
            block.append(BarChart(rows, width=width, font=font))
        else:
            block.append(Paragraph(escape(_("No coverage recorded yet.")), styles["base"]))
        story.append(KeepTogether(block))
    story.append(Paragraph(escape(_("Releases: opens and clicks")), styles["h2"]))
    if summary.releases:
        release_rows: list[list[Any]] = [
            [_("Release"), _("Sent"), _("Opened"), _("Open rate"), _("Clicked"), _("Click rate")]
        ]
        for release in summary.releases:
            release_rows.append(
                [
                    Paragraph(escape(release.title), styles["cell"]),
                    number(release.sent),
                    number(release.opened),
                    percent(release.open_rate),
                    number(release.clicked),
                    percent(release.click_rate),
                ]
            )
        story.append(_table(release_rows, widths=[width * 0.4] + [width * 0.12] * 5, font=font))
    else:
        story.append(Paragraph(escape(_("No release was sent for this event.")), styles["base"]))
    story += [PageBreak(), Paragraph(escape(_("Clippings")), styles["h2"])]
    clipping_rows = [
        (
            item.headline,
            item.url,
            item.outlet_name or "—",
            formats.date_format(item.published_on, "SHORT_DATE_FORMAT")
            if item.published_on
            else "—",
        )
        for item in _clippings(event)
    ]
    if not clipping_rows:
        story.append(Paragraph(escape(_("No coverage recorded yet.")), styles["base"]))
    else:
        story.append(
            ClippingList(
                clipping_rows,
                width=width,
                font=font,
                headers=(_("Headline"), _("Outlet"), _("Date")),
            )
        )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, f"{event.display_name()} · {_('Coverage report')}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{_('Coverage report')} — {event.display_name()}",
        author=_("Press office"),
    )
    document.build(story, onLaterPages=footer)
    return summary


def coverage_export_headers() -> list[str]:
    return [
        _("Headline"),
        _("Outlet"),
        _("Country"),
        _("Published"),
        _("Language"),
        _("Kind"),
        _("Estimated audience (estimate)"),
        _("Journalist"),
        _("Source"),
        _("Address (URL)"),
    ]


def coverage_export_rows(*, event: Event) -> Iterator[list[Any]]:
    # Plain values and the choice labels translated once: no model instance per item.
    kinds = {code: str(label) for code, label in CoverageKind.choices}
    sources = {code: str(label) for code, label in CoverageSource.choices}
    items = (
        CoverageItem.objects.filter(event=event)
        .order_by("published_on", "pk")
        .values_list(
            "headline",
            "outlet_name",
            "country",
            "published_on",
            "language",
            "kind",
            "estimated_audience",
            "journalist__first_name",
            "journalist__last_name",
            "source",
            "url",
        )
        .iterator(chunk_size=2000)
    )
    for (
        headline,
        outlet_name,
        country,
        published_on,
        language,
        kind,
        audience,
        first_name,
        last_name,
        source,
        url,
    ) in items:
        yield [
            headline,
            outlet_name,
            country or "",
            published_on,
            language,
            kinds.get(kind, kind),
            audience,
            f"{first_name or ''} {last_name or ''}".strip(),
            sources.get(source, source),
            url,
        ]


def coverage_export_write(*, event: Event, target: str | IO[bytes]) -> int:
    """Write the coverage of `event` to an xlsx (streamed; text that a spreadsheet
    would take for a formula stays text). Returns the number of items written."""
    return write_xlsx(
        target,
        title=str(_("Coverage")),
        headers=coverage_export_headers(),
        rows=coverage_export_rows(event=event),
        widths=[50, 25, 10, 12, 10, 14, 18, 25, 22, 50],
    )
