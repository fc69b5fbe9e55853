"""Parsers for every source a cashier has. Each format is an `Importer` with `identify(path)`
and `extract(path)`; `load()` detects the format and turns the result into the receivable view.
"""
