"""Reconciliations: a customer's period matched between our ledger and theirs (or our bank),
reviewed by hand, approved under maker-checker, exported as a workbook and a PDF."""
