"""print_badges OUT.pdf [--event SLUG] [--all] [--layout a6|a4-4up]."""

from io import StringIO

import pypdfium2
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from press.badges.models import BadgePrint
from press.badges.printing import badges_record_printed
from tests.factories import EventFactory
from tests.factories.badges import BadgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args):
    out = StringIO()
    call_command("print_badges", *args, stdout=out)
    return out.getvalue()


def test_prints_approved_badges_not_yet_printed_and_records_them(tmp_path, event):
    waiting = [BadgeFactory(badge_request__event=event) for _ in range(2)]
    done = BadgeFactory(badge_request__event=event)
    badges_record_printed(badges=[done], by=None)
    target = tmp_path / "badges.pdf"

    output = run(str(target), "--event", event.slug)

    assert f"2 badges of {event.slug} printed to {target}." in output
    assert len(pypdfium2.PdfDocument(str(target))) == 2
    for badge in waiting:
        badge.refresh_from_db()
        assert badge.printed_at is not None
        assert badge.printed_by is None
    assert BadgePrint.objects.filter(reprint=False).count() == 3
    assert not list(tmp_path.glob("*.part"))


def test_all_prints_those_printed_too_as_reprints(tmp_path, event):
    badges = [BadgeFactory(badge_request__event=event) for _ in range(2)]
    badges_record_printed(badges=badges[:1], by=None)
    run(str(tmp_path / "all.pdf"), "--event", event.slug, "--all")
    assert len(pypdfium2.PdfDocument(str(tmp_path / "all.pdf"))) == 2
    assert BadgePrint.objects.filter(reprint=True).count() == 1


def test_a4_layout_puts_four_on_a_sheet(tmp_path, event):
    for _ in range(5):
        BadgeFactory(badge_request__event=event)
    run(str(tmp_path / "sheet.pdf"), "--event", event.slug, "--layout", "a4-4up")
    assert len(pypdfium2.PdfDocument(str(tmp_path / "sheet.pdf"))) == 2


def test_without_event_prints_the_current_event(tmp_path):
    current = EventFactory()
    BadgeFactory(badge_request__event=current)
    output = run(str(tmp_path / "b.pdf"))
    assert f"1 badge of {current.slug}" in output


def test_nothing_to_print_writes_no_file(tmp_path, event):
    output = run(str(tmp_path / "none.pdf"), "--event", event.slug)
    assert f"No badge of {event.slug} to print." in output
    assert not (tmp_path / "none.pdf").exists()


def test_an_unknown_event_is_a_clear_error_and_changes_nothing(tmp_path, event):
    BadgeFactory(badge_request__event=event)
    with pytest.raises(CommandError, match="No event with the short name “nope”."):
        run(str(tmp_path / "b.pdf"), "--event", "nope")
    assert not BadgePrint.objects.exists()
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize("where", ["missing-folder", "folder"])
def test_an_unwritable_path_is_a_clear_error_and_records_nothing(tmp_path, event, where):
    BadgeFactory(badge_request__event=event)
    target = tmp_path / "no" / "such" / "b.pdf" if where == "missing-folder" else tmp_path
    with pytest.raises(CommandError, match=f"Cannot write {target}"):
        run(str(target), "--event", event.slug)
    assert not BadgePrint.objects.exists()
    assert not list(tmp_path.rglob("*.part"))


def test_a_bad_layout_exits_non_zero(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "print_badges", str(tmp_path / "x.pdf"), "--layout", "a3"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert result.returncode != 0
    assert "a3" in result.stderr
