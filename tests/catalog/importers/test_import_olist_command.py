from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Order
from tests.catalog.importers.olist_files import (
    ORDERS,
    REVIEWS,
    olist_files_write,
    olist_rows,
)

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("import_olist", *args, stdout=out)
    return out.getvalue()


def test_command_prints_counts_per_file(tmp_path):
    output = _run(str(olist_files_write(tmp_path)))

    table = {line.split()[0]: line.split()[1:] for line in output.splitlines()}
    assert table["file"] == ["read", "created", "updated", "unchanged", "rejected"]
    assert table[ORDERS] == ["4", "4", "0", "0", "0"]
    assert table[REVIEWS] == ["4", "4", "0", "0", "0"]
    # No progress lines when stdout is not a terminal.
    assert "\r" not in output


def test_command_reads_the_settings_folder_by_default(tmp_path, settings):
    settings.DROPI_OLIST_DIR = str(olist_files_write(tmp_path))

    output = _run("--batch-size", "2")

    assert Order.objects.count() == 4
    assert "Import of source 'olist' done." in output


def test_command_error_names_file_line_and_column(tmp_path):
    rows = olist_rows()
    rows[REVIEWS][3]["review_score"] = "0"

    with pytest.raises(CommandError) as failure:
        _run(str(olist_files_write(tmp_path, rows)))

    assert str(failure.value) == (
        "Import failed, nothing was written:\n"
        f"{REVIEWS}:6 column review_score: 0 is outside 1..5"
    )
    assert Order.objects.count() == 0


def test_command_lists_skipped_records(tmp_path):
    rows = olist_rows()
    rows[REVIEWS][3]["review_score"] = "0"

    output = _run(str(olist_files_write(tmp_path, rows)), "--skip-invalid")

    assert "1 records rejected:" in output
    assert f"  {REVIEWS}:6 column review_score: 0 is outside 1..5" in output
    assert Order.objects.count() == 4


def test_command_rejects_unknown_time_zone(tmp_path):
    with pytest.raises(CommandError, match="unknown time zone 'Mars/Olympus'"):
        _run(str(olist_files_write(tmp_path)), "--source-tz", "Mars/Olympus")


class _Terminal(StringIO):
    def isatty(self):
        return True


def test_command_shows_progress_on_a_terminal(tmp_path):
    out = _Terminal()

    call_command(
        "import_olist",
        str(olist_files_write(tmp_path)),
        "--batch-size",
        "2",
        stdout=out,
    )

    assert f"\r{ORDERS}: 2 records" in out.getvalue()
    assert f"\r{ORDERS}: 4 records" in out.getvalue()


def test_if_empty_leaves_a_loaded_source_and_its_later_changes_alone(tmp_path):
    folder = str(olist_files_write(tmp_path))
    _run(folder)
    order = Order.objects.order_by("pk").first()
    Order.objects.filter(pk=order.pk).update(status="returned")

    output = _run(folder, "--if-empty")

    assert "already loaded; nothing imported" in output
    order.refresh_from_db()
    assert order.status == "returned"


def test_if_empty_imports_when_the_source_has_no_orders_yet(tmp_path):
    output = _run(str(olist_files_write(tmp_path)), "--if-empty")

    assert Order.objects.count() == 4
    assert "Import of source 'olist' done." in output
