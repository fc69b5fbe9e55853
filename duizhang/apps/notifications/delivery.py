"""The sender: claim a due message, hand it to the SMTP server, record what the server said.

Exactly-once needs care, because the server's acceptance and our record of it cannot be one
transaction. The steps:

1. claim — one UPDATE moves the message from queued to sending with a lease (two senders
   never claim the same message);
2. connect, MAIL FROM, RCPT TO — a failure here delivered nothing: retry with backoff;
3. hand over — commit `handed_over_at`, then send DATA;
4. record — sent, with the server's answer, and a line in the customer's communication log.

A sender that dies leaves the message in "sending". When its lease has run out,
`messages_recover` looks at the hand-over mark: without it the message certainly did not go
out and is queued again; with it the server may have accepted it, so it is NOT resent
automatically but marked "outcome unknown" on the manager's dashboard, who marks it delivered
or queues it again (it then carries the same Message-ID, so mail clients show one copy). The
price of never sending twice is that a crash in the few milliseconds between DATA and the
record needs a person; the window is one SMTP round trip.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from duizhang.apps.customers.models import CommunicationLog
from duizhang.apps.customers.services import communication_log_record
from duizhang.apps.notifications.models import DeliveryAttempt, MessageStatus, OutboxMessage

# Called after the hand-over is committed and DATA accepted, before the record; the fault
# test sets it to kill the process at the worst moment. Always None in the product.
after_send: Callable[[OutboxMessage], None] | None = None


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    requeued: int = 0
    unknown: int = 0
    waiting: str = ""  # why nothing was tried (no mail server, outside the send window)
    errors: list[str] = field(default_factory=list)


class _Temporary(Exception):
    """The server or the network said "not now"; nothing was delivered."""


class _Permanent(Exception):
    """The server refused for good (5xx); nothing was delivered."""


def in_send_window(moment: dt.datetime | None = None) -> bool:
    """Whether `moment` (default now) falls in NOTIFY_SEND_WINDOW ("08:00-20:00", company time;
    empty: any time)."""
    window = str(getattr(settings, "NOTIFY_SEND_WINDOW", "")).strip()
    if not window:
        return True
    start_text, _dash, end_text = window.partition("-")
    start = dt.time.fromisoformat(start_text.strip())
    end = dt.time.fromisoformat(end_text.strip())
    now = timezone.localtime(moment or timezone.now()).time()
    return start <= now < end if start <= end else (now >= start or now < end)


def deliver_due(*, limit: int | None = None) -> DeliveryReport:
    """Recover stuck messages, then send every due one (oldest first) that this process claims."""
    report = DeliveryReport()
    messages_recover(report)
    if not getattr(settings, "EMAIL_CONFIGURED", False):
        report.waiting = "no mail server configured (EMAIL_URL)"
        return report
    if not in_send_window():
        report.waiting = f"outside the send window {settings.NOTIFY_SEND_WINDOW}"
        return report
    due = OutboxMessage.objects.filter(
        status=MessageStatus.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "id")
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        message = message_claim(pk)
        if message is not None:
            message_send(message, report)
    return report


def message_claim(pk: int) -> OutboxMessage | None:
    now = timezone.now()
    lease = dt.timedelta(seconds=int(settings.NOTIFY_LEASE_SECONDS))
    claimed = OutboxMessage.objects.filter(
        pk=pk, status=MessageStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=MessageStatus.SENDING, lease_until=now + lease, attempts=F("attempts") + 1)
    return OutboxMessage.objects.get(pk=pk) if claimed else None


def messages_recover(report: DeliveryReport) -> None:
    """Messages whose sender died: queued again if never handed over, else outcome unknown."""
    stuck = OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, lease_until__lt=timezone.now()
    )
    for message in stuck:
        with transaction.atomic():
            if message.handed_over_at is None:
                moved = _move(message, MessageStatus.QUEUED, next_attempt_at=timezone.now())
                outcome, answer = (
                    DeliveryAttempt.Outcome.REQUEUED,
                    "the sender stopped before sending",
                )
                report.requeued += moved
            else:
                moved = _move(message, MessageStatus.UNKNOWN)
                outcome = DeliveryAttempt.Outcome.UNKNOWN
                answer = "the sender stopped after handing the message to the server"
                report.unknown += moved
            if moved:
                DeliveryAttempt.objects.create(message=message, outcome=outcome, answer=answer)


def _move(message: OutboxMessage, status: str, **changes: object) -> int:
    """Leave "sending" only if no one else moved the message meanwhile."""
    return OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status, lease_until=None, **changes
    )


def email_of(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
    )
    if message.attachment_name:
        email.attach(message.attachment_name, bytes(message.attachment or b""), "application/pdf")
    return email


def message_send(message: OutboxMessage, report: DeliveryReport) -> None:
    email = email_of(message)
    try:
        with _connect() as smtp:
            _envelope(smtp, email)
            _hand_over(message)
            try:
                code, answer = smtp.data(_wire_bytes(email))
            except smtplib.SMTPResponseException as error:
                raise _server_said(error) from error
            if code != 250:  # the server answered: it did not take the message
                raise _server_said(smtplib.SMTPResponseException(code, answer))
            if after_send is not None:
                after_send(message)
    except _Permanent as error:
        _record_failure(message, str(error), permanent=True, report=report)
        return
    except _Temporary as error:
        _record_failure(message, str(error), permanent=False, report=report)
        return
    except (OSError, smtplib.SMTPException) as error:
        if message.handed_over_at is None:
            _record_failure(
                message, f"{type(error).__name__}: {error}", permanent=False, report=report
            )
        else:  # the connection broke during DATA: the server may have the message
            _record_unknown(message, f"{type(error).__name__}: {error}", report)
        return
    _record_sent(message, f"{code} {answer.decode(errors='replace')}", report)


def _wire_bytes(email: EmailMessage) -> bytes:
    """CRLF line ends, as Django's own SMTP backend sends (its MIME classes take `linesep`)."""
    data: bytes = email.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    return data


def _connect() -> smtplib.SMTP:
    timeout = float(getattr(settings, "EMAIL_TIMEOUT", 30) or 30)
    smtp: smtplib.SMTP
    if settings.EMAIL_USE_SSL:
        smtp = smtplib.SMTP_SSL(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout)
    else:
        smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout)
    try:
        smtp.ehlo()
        if settings.EMAIL_USE_TLS:
            smtp.starttls()
            smtp.ehlo()
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    except smtplib.SMTPResponseException as error:
        smtp.close()
        raise _server_said(error) from error
    except BaseException:
        smtp.close()
        raise
    return smtp


def _server_said(error: smtplib.SMTPResponseException) -> Exception:
    text = f"{error.smtp_code} {_text(error.smtp_error)}"
    return _Permanent(text) if error.smtp_code >= 500 else _Temporary(text)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _envelope(smtp: smtplib.SMTP, email: EmailMessage) -> None:
    """MAIL FROM and RCPT TO: the server can still say no, and nothing has been delivered."""
    code, answer = smtp.mail(email.from_email)
    if code != 250:
        raise (_Permanent if code >= 500 else _Temporary)(f"{code} {_text(answer)}")
    refused = []
    for address in email.recipients():
        code, answer = smtp.rcpt(address)
        if code not in (250, 251):
            refused.append((code, f"{address}: {code} {_text(answer)}"))
    if refused:  # all or nothing: one email per customer, to everyone on it
        smtp.rset()
        permanent = all(code >= 500 for code, _text_ in refused)
        raise (_Permanent if permanent else _Temporary)("; ".join(text for _c, text in refused))


def _hand_over(message: OutboxMessage) -> None:
    message.handed_over_at = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(handed_over_at=message.handed_over_at)


def _record_sent(message: OutboxMessage, answer: str, report: DeliveryReport) -> None:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
        )
        DeliveryAttempt.objects.create(
            message=message, outcome=DeliveryAttempt.Outcome.SENT, answer=answer
        )
        _log_to_customer(message, f"Email sent: {message.subject} → {', '.join(message.to)}")
    report.sent += 1


def _record_failure(
    message: OutboxMessage, answer: str, *, permanent: bool, report: DeliveryReport
) -> None:
    give_up = permanent or message.attempts >= int(settings.NOTIFY_MAX_ATTEMPTS)
    with transaction.atomic():
        if give_up:
            changes: dict[str, object] = {"status": MessageStatus.FAILED}
            outcome = DeliveryAttempt.Outcome.FAILED
            _log_to_customer(message, f"Email failed: {message.subject} ({answer})")
            report.failed += 1
        else:
            delay = min(
                float(settings.NOTIFY_RETRY_SECONDS) * 2 ** (message.attempts - 1), 6 * 3600.0
            )
            changes = {
                "status": MessageStatus.QUEUED,
                "next_attempt_at": timezone.now() + dt.timedelta(seconds=delay),
            }
            outcome = DeliveryAttempt.Outcome.RETRY
            report.retried += 1
        OutboxMessage.objects.filter(pk=message.pk).update(
            lease_until=None, handed_over_at=None, last_error=answer, **changes
        )
        DeliveryAttempt.objects.create(message=message, outcome=outcome, answer=answer)
    report.errors.append(f"{message.key}: {answer}")


def _record_unknown(message: OutboxMessage, answer: str, report: DeliveryReport) -> None:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.UNKNOWN, lease_until=None, last_error=answer
        )
        DeliveryAttempt.objects.create(
            message=message, outcome=DeliveryAttempt.Outcome.UNKNOWN, answer=answer
        )
    report.unknown += 1


def _log_to_customer(message: OutboxMessage, summary: str) -> None:
    if message.customer is not None:
        communication_log_record(
            customer=message.customer,
            channel=CommunicationLog.Channel.EMAIL,
            direction=CommunicationLog.Direction.OUTBOUND,
            summary=summary,
        )
