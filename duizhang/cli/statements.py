"""`duizhang statement`: a customer's statement (对账单) as PDF and Excel, from a ledger file."""

from __future__ import annotations

import dataclasses
import tomllib
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import IngestError
from duizhang.ingest.load import load
from duizhang.statements.model import LANGUAGES, Company, Customer, StatementError, Style

DAY = click.DateTime(["%Y-%m-%d"])


@click.command("statement")
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--customer", "code", required=True, help="Customer code (the ledger's customer column)."
)
@click.option("--from", "start", type=DAY, required=True, help="First day of the period.")
@click.option("--to", "end", type=DAY, required=True, help="Last day of the period.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder."
)
@click.option(
    "--style",
    type=click.Choice([s.value for s in Style]),
    default=Style.BALANCE_FORWARD.value,
    show_default=True,
    help="balance-forward: opening, every line, closing; open-item: the documents still open.",
)
@click.option("--company", "company_name", help="Our company's name (overrides the parties file).")
@click.option(
    "--parties",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML with [company] name/address/phone/tax_id/bank_name/bank_account and "
    "[customers.CODE] name/uscc/address.",
)
@click.option("--currency", help="The statement's currency when the ledger has several.")
@click.option("--language", type=click.Choice(LANGUAGES), default="zh-Hans", show_default=True)
@click.option("--number", help="Statement number (default: DZ-CODE-YYYYMMDD of the period end).")
@click.option("--version", "version", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--date", "issued", type=DAY, help="Statement date (default: today).")
@click.option(
    "--terms",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Payment terms in days, for due dates.",
)
@click.option(
    "--receivables-only",
    is_flag=True,
    help="Leave out lines booked on accounts other than 1122 应收账款.",
)
@click.option(
    "--hide-reversed",
    is_flag=True,
    help="Leave out pairs that cancel (same reference, opposite amounts).",
)
@click.option(
    "--format", "format_", default="auto", show_default=True, help="Ledger format name or auto."
)
@click.option(
    "--side",
    type=click.Choice([s.value for s in Side]),
    default=None,
    help="Whose books the ledger is (default: the format's).",
)
def statement(
    ledger: Path,
    code: str,
    start: datetime,
    end: datetime,
    out: Path,
    style: str,
    company_name: str | None,
    parties: Path | None,
    currency: str | None,
    language: str,
    number: str | None,
    version: int,
    issued: datetime | None,
    terms: int,
    receivables_only: bool,
    hide_reversed: bool,
    format_: str,
    side: str | None,
) -> None:
    """Write the statement of customer CODE for a period as PDF and Excel into OUT.

    \b
    Example:
        duizhang statement ledger.csv --customer C001 --from 2026-03-01 --to 2026-03-31 \\
            --out statements/ --parties parties.toml
    """
    from duizhang.statements.build import build_statement, entries_of_customer

    details = _read_parties(parties) if parties else {}
    company = _company(details, company_name)
    try:
        loaded = load(ledger, format=format_, side=Side(side) if side else None)
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    entries = entries_of_customer(loaded.entries, code)
    if not entries:
        raise click.ClickException(f"{ledger.name}: no entries for customer {code}")
    customer = _customer(details, code, entries)
    try:
        built = build_statement(
            entries,
            company=company,
            customer=customer,
            period_start=start.date(),
            period_end=end.date(),
            issued=issued.date() if issued else date.today(),
            currency=currency,
            style=Style(style),
            number=number or f"DZ-{code}-{end:%Y%m%d}",
            version=version,
            language=language,
            receivables_only=receivables_only,
            hide_reversed=hide_reversed,
            payment_terms_days=terms,
        )
    except StatementError as error:
        raise click.ClickException(str(error)) from error
    # Imported here: WeasyPrint takes a moment to load and other commands do not need it.
    from duizhang.statements.excel import statement_xlsx
    from duizhang.statements.pdf import statement_pdf

    out.mkdir(parents=True, exist_ok=True)
    stem = f"statement_{code}_{built.currency}_{start:%Y%m%d}_{end:%Y%m%d}"
    pdf_path, xlsx_path = out / f"{stem}.pdf", out / f"{stem}.xlsx"
    pdf_path.write_bytes(statement_pdf(built))
    xlsx_path.write_bytes(statement_xlsx(built))
    click.echo(
        f"{customer.code} {customer.name} {built.currency}: opening {built.opening}, "
        f"{len(built.lines)} lines, closing {built.closing}, {len(built.open_items)} open items"
    )
    click.echo(f"wrote {pdf_path}")
    click.echo(f"wrote {xlsx_path}")


def _read_parties(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name}: {error}") from error


def _company(details: dict[str, Any], name: str | None) -> Company:
    fields = {key: str(value) for key, value in details.get("company", {}).items()}
    if name:
        fields["name"] = name
    if not fields.get("name"):
        raise click.UsageError("name our company: --company NAME or [company] name in --parties")
    known = {field.name for field in dataclasses.fields(Company)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise click.ClickException(f"unknown [company] keys: {', '.join(unknown)}")
    return Company(**fields)


def _customer(details: dict[str, Any], code: str, entries: list[Entry]) -> Customer:
    """From the parties file, else named after the ledger's most frequent counterparty."""
    given = {key: str(value) for key, value in details.get("customers", {}).get(code, {}).items()}
    named = Counter(entry.counterparty for entry in entries if entry.counterparty).most_common(1)
    given.setdefault("name", named[0][0] if named else code)
    known = {field.name for field in dataclasses.fields(Customer)} - {"code"}
    unknown = sorted(set(given) - known)
    if unknown:
        raise click.ClickException(f"unknown [customers.{code}] keys: {', '.join(unknown)}")
    return Customer(code=code, **given)


COMMANDS = (statement,)
