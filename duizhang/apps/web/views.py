"""Server-rendered staff pages. Each view parses input, calls one selector or service, renders."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import PREPARERS, Role, has_role
from duizhang.apps.customers.models import Customer
from duizhang.apps.customers.selectors import customer_communications, customer_list
from duizhang.apps.customers.services import communication_log_add
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.selectors import (
    customer_entries,
    customer_sources,
    import_preview,
    receivable_balances,
    recent_batches,
)
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.web.access import staff_only, staff_user
from duizhang.apps.web.forms import MappingForm, NoteForm, UploadForm
from duizhang.ingest.base import IngestError, UnknownFormat
from duizhang.ingest.tables import ColumnMapping, Meaning, preview
from duizhang.ingest.tables.reading import TABLE_SUFFIXES, Row

PENDING = "pending_imports"  # session key: token -> the upload waiting for confirmation
PREVIEW_ROWS = 200
ENTRIES_PER_PAGE = 50
MAPPING_ROWS = 30
NOTE_WRITERS = (Role.CASHIER, Role.REVIEWER, Role.MANAGER)


@staff_only()
def home(request: HttpRequest) -> HttpResponse:
    customers = list(customer_list())
    balances = receivable_balances(customers)
    rows = [(customer, balances.get(customer.pk, [])) for customer in customers]
    return render(
        request,
        "web/home.html",
        {"rows": rows, "batches": recent_batches()},
    )


@staff_only()
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.select_related("company"), pk=pk)
    page = Paginator(customer_entries(customer), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/customer.html",
        {
            "customer": customer,
            "balances": receivable_balances([customer]).get(customer.pk, []),
            "contacts": customer.contacts.all(),
            "communications": customer_communications(customer),
            "sources": customer_sources(customer),
            "page": page,
            "note_form": NoteForm(initial={"channel": "phone", "direction": "out"})
            if has_role(request.user, *NOTE_WRITERS)
            else None,
        },
    )


@require_POST
@staff_only(*NOTE_WRITERS)
def customer_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        communication_log_add(customer=customer, by=staff_user(request), **form.cleaned_data)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form[field].label}: {' '.join(map(str, errors))}")
    return redirect("web:customer", pk=customer.pk)


@staff_only(*PREPARERS)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. The file is kept under MEDIA_ROOT (outside the web root) until confirmed."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET" and "source" in request.GET:
        form = UploadForm(initial={"source": request.GET["source"]})
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(12)
        upload: UploadedFile = form.cleaned_data["file"]
        path = _store(upload, token)
        source: Source = form.cleaned_data["source"]
        pending = {
            "source": source.pk,
            "path": path.name,
            "name": upload.name or path.name,
            "format": form.cleaned_data["format"],
            "mapping": None,
        }
        try:
            import_preview(source, path, format=pending["format"])
        except UnknownFormat as error:
            if path.suffix not in TABLE_SUFFIXES:
                return _upload_failed(request, form, path, error)
            _remember(request, token, pending)
            messages.info(request, gettext("The columns were not recognised; map them below."))
            return redirect("web:import-columns", token=token)
        except IngestError as error:
            return _upload_failed(request, form, path, error)
        _remember(request, token, pending)
        return redirect("web:import-preview", token=token)
    return render(request, "web/import_upload.html", {"form": form})


@staff_only(*PREPARERS)
def import_review(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: show what the file holds (GET), then import it in one transaction (POST)."""
    pending = request.session.get(PENDING, {}).get(token)
    if pending is None:
        return _expired(request)
    source = get_object_or_404(Source.objects.select_related("customer"), pk=pending["source"])
    path = _uploads() / pending["path"]
    mapping = ColumnMapping.from_dict(pending["mapping"]) if pending["mapping"] else None
    if request.method == "POST":
        try:
            result = entries_import(
                source=source,
                path=path,
                uploaded_by=staff_user(request),
                format=pending["format"],
                mapping=mapping,
                file_name=pending["name"],
            )
        except IngestError as error:
            messages.error(request, str(error))
            return redirect("web:import-upload")
        del request.session[PENDING][token]
        request.session.modified = True
        messages.success(request, result.summary())
        return redirect("web:home")
    preview = import_preview(source, path, format=pending["format"], mapping=mapping)
    rows = [
        (entry, customer, entry.id in preview.present)
        for entry, customer in zip(
            preview.read.entries[:PREVIEW_ROWS], preview.read.customers, strict=False
        )
    ]
    return render(
        request,
        "web/import_preview.html",
        {
            "token": token,
            "source": source,
            "name": pending["name"],
            "preview": preview,
            "loaded": preview.read.loaded,
            "rows": rows,
            "totals": preview.read.totals(),
            "more": max(0, len(preview.read.entries) - PREVIEW_ROWS),
        },
    )


@staff_only(*PREPARERS)
def import_columns(request: HttpRequest, token: str) -> HttpResponse:
    """The column mapping screen, for a table no importer recognised. The mapping is tried on the
    whole file before the preview; the import saves it as the source's mapping."""
    pending = request.session.get(PENDING, {}).get(token)
    if pending is None:
        return _expired(request)
    source = get_object_or_404(Source, pk=pending["source"])
    path = _uploads() / pending["path"]
    try:
        table = preview(path, rows=MAPPING_ROWS)
    except IngestError as unreadable:
        return _upload_failed(request, UploadForm(), path, unreadable)
    header = _header_row(table.rows, request.GET.get("header") or request.POST.get("header"))
    if header is None:
        return _upload_failed(request, UploadForm(), path, UnknownFormat("empty table", file=path))
    columns = [cell for cell in header.cells if cell]
    fallback = Meaning.BANK if source.kind == Source.Kind.BANK else Meaning.BOOKS
    form = MappingForm(
        request.POST or None,
        columns=columns,
        initial=MappingForm.initial_from(table.proposed, fallback),
    )
    error = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            import_preview(source, path, mapping=mapping)
        except IngestError as failure:
            error = failure
        else:
            pending["mapping"] = mapping.to_dict()
            request.session.modified = True
            return redirect("web:import-preview", token=token)
    return render(
        request,
        "web/import_columns.html",
        {
            "token": token,
            "name": pending["name"],
            "source": source,
            "rows": table.rows,
            "header": header,
            "form": form,
            "error": error,
        },
    )


def _header_row(rows: list[Row], chosen: str | None) -> Row | None:
    """The row the user picked as the header, else the first with two or more filled cells."""
    if chosen and chosen.isdigit():
        for row in rows:
            if row.line == int(chosen):
                return row
    return next((row for row in rows if sum(1 for cell in row.cells if cell) >= 2), None)


def _remember(request: HttpRequest, token: str, pending: dict[str, object]) -> None:
    request.session.setdefault(PENDING, {})[token] = pending
    request.session.modified = True


def _upload_failed(
    request: HttpRequest, form: UploadForm, path: Path, error: IngestError
) -> HttpResponse:
    path.unlink(missing_ok=True)
    return render(request, "web/import_upload.html", {"form": form, "error": error}, status=400)


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        gettext("This upload is no longer waiting for confirmation. Upload the file again."),
    )
    return redirect("web:import-upload")


def _uploads() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(upload: UploadedFile, token: str) -> Path:
    """Save under a random name; keep only a plain suffix, which format detection looks at."""
    suffix = Path(upload.name or "").suffix.lower()
    path = _uploads() / (token + (suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""))
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path
