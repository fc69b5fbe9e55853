"""Held-out case generators, written without looking at the engine or at `bench.generator`.

Two sessions that never saw `duizhang.engine` or the repo's own generator each wrote a
generator of reconciliation cases from how real ledgers look; they found weaknesses the repo's
own cases had hidden (the engine had been tuned on those). They are kept here as an outside
checker would run them:

- `bank` — our receivables ledger against a Chinese bank statement (20-digit e-invoice
  numbers, bank serials, memos, payment platforms, USD, 代付, non-receivable bank lines);
- `customer_ledger` — our receivables ledger against a customer's own payables ledger
  (往来对账: their vouchers, monthly totals, credit notes, bills, cash discounts).

Each writes left.csv, right.csv, truth_groups.csv and truth_leftovers.csv as
`duizhang.bench.scorer` reads them; `python -m duizhang.bench.run --independent` scores the
engine on both. Keep them as they are: never tune them to the engine's rules, nor the engine to
their seeds' quirks. A seed's files are a fixed point (tested); a change to a generator makes
earlier figures incomparable and must say so.
"""
