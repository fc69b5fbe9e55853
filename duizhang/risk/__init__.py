"""Risk alerts without Django: one customer's lines and facts in, findings with reasons out.

    findings = assess(CustomerFacts(code="C001", name="上海明远贸易有限公司"), lines)

See docs.md for the rules and their thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence

from duizhang.risk.clock import row_time
from duizhang.risk.options import RiskOptions
from duizhang.risk.records import CustomerFacts, Finding, Kind, Line, Reason, Severity
from duizhang.risk.rules import MESSAGES, RULES

__all__ = [
    "MESSAGES",
    "CustomerFacts",
    "Finding",
    "Kind",
    "Line",
    "Reason",
    "RiskOptions",
    "Severity",
    "assess",
    "row_time",
]


def assess(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions | None = None
) -> list[Finding]:
    """Every rule over all of the customer's lines, in rule order. Findings that share a
    fingerprint (none should) are reported once."""
    options = options or RiskOptions()
    seen: set[str] = set()
    findings = []
    for rule in RULES:
        for finding in rule(customer, lines, options):
            if finding.fingerprint not in seen:
                seen.add(finding.fingerprint)
                findings.append(finding)
    return findings
