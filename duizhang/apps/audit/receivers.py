"""Logins, logouts, failed logins and permission changes, recorded from Django's signals.

Django sends these wherever the change is made (the admin, a view, the shell), so recording
them here is the one place that cannot be bypassed by a new screen. Who made a permission change
is not in the signal: it is the user `acting_as` names (the request's user, via the middleware).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from duizhang.apps.audit.services import Action, acting_user, audit_record, signals_are_paused

WATCHED_FLAGS = ("is_staff", "is_superuser", "is_active")
_PENDING = "_audit_flag_changes"


def _ip(request: HttpRequest | None) -> str:
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGIN, target=user, data={"ip": _ip(request)})


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user, action=Action.LOGOUT, target=user if user else None, data={"ip": _ip(request)}
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only the user name is kept: Django has already masked the password in `credentials`."""
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))
    audit_record(actor=username, action=Action.LOGIN_FAILED, data={"ip": _ip(request)})


def _label(item: models.Model) -> str:
    if isinstance(item, Permission):
        return f"{item.content_type.app_label}.{item.codename}"
    if isinstance(item, Group):
        return item.name
    return str(item)


def on_membership_changed(
    sender: Any,
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """A user's groups or permissions, or a group's permissions, changed; one record per user or
    group whose rights changed, whichever side the change was made from."""
    if signals_are_paused() or action not in ("post_add", "post_remove", "pre_clear"):
        return
    forward_field = next(
        field
        for field in (get_user_model()._meta.many_to_many + Group._meta.many_to_many)
        if field.remote_field.through is sender
    )
    if action == "pre_clear":
        related = (
            list(getattr(instance, forward_field.name).all())
            if not reverse
            else list(forward_field.model._default_manager.filter(**{forward_field.name: instance}))
        )
    else:
        related = list(model._default_manager.filter(pk__in=pk_set or ()))
    if not related:
        return
    change = {"post_add": "add", "post_remove": "remove", "pre_clear": "remove"}[action]
    owners_and_items = (
        [(owner, [instance]) for owner in related] if reverse else [(instance, related)]
    )
    for owner, items in owners_and_items:
        audit_record(
            actor=acting_user(),
            action=Action.PERMISSION_CHANGE,
            target=owner,
            data={
                "of": str(owner),
                "field": forward_field.name,
                "change": change,
                "items": sorted(_label(item) for item in items),
            },
        )


def remember_flag_changes(
    sender: Any, instance: Any, raw: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or signals_are_paused():
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FLAGS):
        return
    if instance._state.adding:
        before: dict[str, Any] = {"is_staff": False, "is_superuser": False, "is_active": True}
    else:
        before = sender._base_manager.filter(pk=instance.pk).values(*WATCHED_FLAGS).first() or {}
    changes = {
        flag: [before.get(flag), getattr(instance, flag)]
        for flag in WATCHED_FLAGS
        if before.get(flag) != getattr(instance, flag)
    }
    if changes:
        setattr(instance, _PENDING, changes)


def record_flag_changes(sender: Any, instance: Any, raw: bool, **kwargs: Any) -> None:
    changes = instance.__dict__.pop(_PENDING, None)
    if raw or not changes:
        return
    audit_record(
        actor=acting_user(),
        action=Action.PERMISSION_CHANGE,
        target=instance,
        data={"of": str(instance), "flags": changes},
    )


def connect() -> None:
    user_model = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    for field in user_model._meta.many_to_many + Group._meta.many_to_many:
        if field.related_model in (Group, Permission):
            m2m_changed.connect(
                on_membership_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"audit.m2m.{field.model._meta.label}.{field.name}",
            )
    pre_save.connect(remember_flag_changes, sender=user_model, dispatch_uid="audit.flags.pre")
    post_save.connect(record_flag_changes, sender=user_model, dispatch_uid="audit.flags.post")
