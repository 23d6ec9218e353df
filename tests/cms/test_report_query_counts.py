"""A content report costs no more queries with ten times the rows: every report's page and its CSV export.

The reports of file text and virus scans run the same check next to the files they make
(``tests/cms/test_file_text.py``, ``tests/cms/test_virus_scanning.py``)."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.cms.reports import (
    CONTENT_REPORTS,
    HYGIENE_REPORTS,
    assert_report_queries_do_not_grow,
    content_report_rows,
    hygiene_report_rows,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)

#: Each report with what makes rows in it.
CASES = [
    *(pytest.param(name, content_report_rows, id=name) for name in CONTENT_REPORTS),
    *(pytest.param(name, hygiene_report_rows, id=name) for name in HYGIENE_REPORTS),
]


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("name, make_rows", CASES)
@pytest.mark.parametrize("export", [None, "csv"])
def test_report_query_count_does_not_grow_with_rows(
    superuser_client, editor, django_assert_max_num_queries, name, make_rows, export
):
    assert_report_queries_do_not_grow(
        superuser_client,
        name,
        export=export,
        make_rows=lambda n: make_rows(n, editor),
        assert_max_num_queries=django_assert_max_num_queries,
    )
