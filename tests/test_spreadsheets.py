import datetime as dt
import io

from openpyxl import load_workbook

from press.core.spreadsheets import write_xlsx


def test_write_xlsx_neutralises_formulas_and_formats_the_header():
    target = io.BytesIO()
    written = write_xlsx(
        target,
        title="Contacts",
        headers=["Name", "Note", "Count", "Day"],
        rows=[
            ['=HYPERLINK("http://evil")', "+32 2 555", 3, dt.date(2024, 3, 20)],
            ["@SUM(A1)", "-minus", None, None],
            ["\tTab", "plain", 0, None],
        ],
    )
    assert written == 3
    target.seek(0)
    sheet = load_workbook(target).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Name", "Note", "Count", "Day"]
    assert values[1][:3] == ['=HYPERLINK("http://evil")', "+32 2 555", 3]
    assert values[2][:2] == ["@SUM(A1)", "-minus"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A2"].quotePrefix is True
    assert sheet["A1"].font.bold is True
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"
