"""`duizhang audit verify`: exit 0 when intact, 1 naming the record otherwise."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.db import connection

from duizhang.apps.audit.services import audit_record
from duizhang.cli.main import cli

pytestmark = pytest.mark.django_db


def test_intact_log_exits_0():
    for n in range(3):
        audit_record(actor="alice", action="match", data={"n": n})
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert (result.exit_code, result.output) == (0, "audit log intact: 3 records\n")


def test_deleted_last_record_exits_1_and_names_it():
    for n in range(3):
        audit_record(actor="alice", action="match", data={"n": n})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE seq = 3")
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.output == (
        "audit log BROKEN after 2 good records: record #3 was removed: "
        "the log ends at #2 but the head says #3\n"
    )
