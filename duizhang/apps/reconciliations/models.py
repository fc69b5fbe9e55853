"""A reconciliation and what its runs and its cashier made of it.

Every entry in scope has exactly one `Line`: either in a `MatchGroup` or unmatched with a reason
(the database holds both rules). Manual decisions are *pinned* — groups made or confirmed by
hand, lines unmatched by hand (`held`), lines with an explanation, rejected suggestions — and a
re-run recomputes everything else. Models only hold data: the engine is called by the run service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.currency import currency_field
from duizhang.apps.customers.models import Company, Customer
from duizhang.apps.ledger.models import Entry, Source


class Status(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")


class RunState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Reconciliation(models.Model):
    Status = Status
    RunState = RunState

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="reconciliations")
    ours = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("our ledger")
    )
    theirs = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("compared with"),
        help_text=_("The customer's ledger or one of our bank accounts."),
    )
    period_start = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty: from the first entry.")
    )
    period_end = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submission = models.PositiveIntegerField(
        default=0, help_text=_("How many times it was submitted; each review decides one.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    run_state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    run_number = models.PositiveIntegerField(default=0)
    run_progress = models.PositiveSmallIntegerField(default=0)
    run_step = models.CharField(max_length=40, blank=True)
    run_error = models.TextField(blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ("-created_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="recon_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(run_state__in=RunState.values), name="recon_run_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(run_progress__lte=100), name="recon_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(ours=models.F("theirs")), name="recon_two_sources"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="recon_period_in_order",
            ),
            # Maker-checker in the database too: approved work names a reviewer who did not
            # prepare it.
            models.CheckConstraint(
                condition=~models.Q(status=Status.APPROVED)
                | (
                    models.Q(reviewed_by__isnull=False)
                    & ~models.Q(reviewed_by=models.F("prepared_by"))
                ),
                name="recon_approved_by_someone_else",
            ),
        )

    def __str__(self) -> str:
        return f"{self.customer.name} {self.period_end:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def is_running(self) -> bool:
        return self.run_state in (RunState.QUEUED, RunState.RUNNING)


class Review(models.Model):
    """One reviewer's decision on one submission. The unique round means two reviewers acting at
    the same moment cannot both decide the same submission."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.PositiveIntegerField()
    decision = models.CharField(max_length=8, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["reconciliation", "round"], name="review_once_per_submission"
            ),
        )

    def __str__(self) -> str:
        return f"{self.reconciliation_id} #{self.round} {self.decision}"


class Side(models.TextChoices):
    LEFT = "left", _("ours")
    RIGHT = "right", _("theirs")


class Origin(models.TextChoices):
    AUTO = "auto", _("automatic")
    MANUAL = "manual", _("by hand")
    SUGGESTION = "suggestion", _("accepted suggestion")


class MatchGroup(models.Model):
    Origin = Origin

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="groups"
    )
    label = models.CharField(max_length=16)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    rule = models.CharField(_("rule"), max_length=40)
    method = models.TextField(_("method"), blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    difference = models.DecimalField(
        _("difference"), max_digits=20, decimal_places=4, help_text=_("Ours less theirs.")
    )
    currency = currency_field()
    pinned = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("label", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(origin=Origin.AUTO) | models.Q(pinned=True),
                name="group_by_hand_is_pinned",
            ),
        )
        indexes = (models.Index(fields=["reconciliation", "difference"], name="group_diff"),)

    def __str__(self) -> str:
        return self.label


class Reason(models.TextChoices):
    MISSING = "missing", _("no counterpart on the other side")
    TIMING = "timing", _("timing (near the period end)")
    DUPLICATE = "duplicate", _("possible duplicate")
    HELD = "held", _("unmatched by hand")


class Line(models.Model):
    """One entry in this reconciliation's scope, matched (`group`) or not (`reason`)."""

    Side = Side
    Reason = Reason

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="lines"
    )
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=5, choices=Side.choices)
    group = models.ForeignKey(
        MatchGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices, blank=True)

    class Meta:
        ordering = ("entry__date", "entry_id")
        constraints = (
            models.UniqueConstraint(fields=["reconciliation", "entry"], name="line_once_per_recon"),
            models.CheckConstraint(
                condition=(models.Q(group__isnull=True) & models.Q(reason__in=Reason.values))
                | (models.Q(group__isnull=False) & models.Q(reason="")),
                name="line_matched_or_has_reason",
            ),
        )
        indexes = (
            models.Index(fields=["reconciliation", "group"], name="line_group"),
            models.Index(fields=["reconciliation", "reason", "side"], name="line_reason"),
        )

    def __str__(self) -> str:
        return f"{self.side} {self.entry_id}"


class Suggestion(models.Model):
    """A link the engine proposes but does not make. `key` names its entries; a rejected one is
    kept so a re-run does not propose it again."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        REJECTED = "rejected", _("rejected")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="suggestions"
    )
    label = models.CharField(max_length=16)
    rule = models.CharField(max_length=40)
    method = models.TextField(blank=True)
    left_entries = models.JSONField(default=list)  # ledger Entry ids
    right_entries = models.JSONField(default=list)
    key = models.CharField(max_length=400)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("label", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["reconciliation", "key"], name="suggestion_once_per_recon"
            ),
        )

    def __str__(self) -> str:
        return self.label


class Explanation(models.TextChoices):
    TIMING = "timing", _("timing difference")
    FEE = "fee", _("bank or platform fee")
    DISCOUNT = "discount", _("discount")
    OUR_ERROR = "our_error", _("error on our side")
    THEIR_ERROR = "their_error", _("error on the customer's side")
    DISPUTE = "dispute", _("open dispute")


class Resolution(models.Model):
    """Why a difference exists: on a group whose sides differ, or on one unmatched line. An error
    on our side carries the adjusting entry we propose to book."""

    Kind = Explanation

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="resolutions"
    )
    group = models.OneToOneField(
        MatchGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="resolution"
    )
    line = models.OneToOneField(
        Line, on_delete=models.CASCADE, null=True, blank=True, related_name="resolution"
    )
    kind = models.CharField(_("explanation"), max_length=12, choices=Explanation.choices)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    comment = models.TextField(_("comment"))
    adjustment_amount = models.DecimalField(
        _("adjusting entry amount"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    adjustment_text = models.CharField(_("adjusting entry text"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(group__isnull=True) ^ models.Q(line__isnull=True),
                name="resolution_explains_one_thing",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Explanation.values), name="resolution_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Explanation.OUR_ERROR)
                | models.Q(adjustment_amount__isnull=True),
                name="resolution_adjustment_only_for_our_error",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
