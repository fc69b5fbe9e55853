"""The append-only audit log and its signed head (see `chain` for why the head exists)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duizhang.apps.audit.chain import ChainHead, PlainRecord


class AppendOnlyError(Exception):
    """The audit log is append-only: records are never changed or deleted through the ORM."""


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit records cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records cannot be updated")


class AuditRecord(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"))
    # Hashed, so it must never change: a deleted user leaves the id behind (no constraint).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    action = models.SlugField(_("action"), max_length=64)
    customer = models.CharField(_("customer"), max_length=64, blank=True, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.TextField(_("details"), default="{}")  # canonical JSON, hashed as text
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ("seq",)
        indexes = (models.Index(fields=("action", "seq"), name="audit_action_seq"),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records cannot be deleted")

    def to_plain(self) -> PlainRecord:
        return PlainRecord(
            seq=self.seq,
            at=self.at,
            actor=self.actor_name,
            actor_id=self.actor_id,
            action=self.action,
            customer=self.customer,
            target_type=self.target_type,
            target_id=self.target_id,
            data=self.data,
            prev_hash=self.prev_hash,
            hash=self.hash,
        )


class AuditHead(models.Model):
    """One row: the last record's number and hash, HMAC-signed, updated with every append."""

    ROW = 1

    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit head")
        verbose_name_plural = _("audit head")

    def __str__(self) -> str:
        return f"audit head #{self.seq}"

    def to_plain(self) -> ChainHead:
        return ChainHead(seq=self.seq, hash=self.hash, mac=self.mac)
