"""Background tasks: the engine run never blocks a request."""

from __future__ import annotations

from duizhang.apps.reconciliations.runs import reconciliation_compute
from duizhang.config.celery import app


@app.task(name="reconciliations.run")
def run_reconciliation(reconciliation_id: int, run_number: int) -> None:
    reconciliation_compute(reconciliation_id=reconciliation_id, run_number=run_number)
