"""Logins and permission changes land in the audit log without the caller asking."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from duizhang.apps.audit.middleware import AuditActorMiddleware
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.audit.selectors import audit_chain_verify
from duizhang.apps.audit.services import acting_as

pytestmark = pytest.mark.django_db


def logged() -> list[tuple[str, str, dict]]:
    return [
        (record.actor_name, record.action, json.loads(record.data))
        for record in AuditRecord.objects.order_by("seq")
    ]


def web_request():
    request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.7")
    request.session = SessionStore()
    return request


def test_login_logout_and_failed_login_are_recorded_with_the_address():
    alice = User.objects.create_user("alice", password="right")
    request = web_request()
    assert authenticate(request, username="alice", password="wrong") is None
    login(request, alice, backend="django.contrib.auth.backends.ModelBackend")
    request.user = alice
    logout(request)
    assert logged() == [
        ("alice", "login-failed", {"ip": "203.0.113.7"}),
        ("alice", "login", {"ip": "203.0.113.7"}),
        ("alice", "logout", {"ip": "203.0.113.7"}),
    ]
    failed = AuditRecord.objects.get(action="login-failed")
    assert failed.actor_id is None and "wrong" not in failed.data
    assert AuditRecord.objects.get(action="login").actor_id == alice.pk
    assert audit_chain_verify().ok


def test_group_changes_from_either_side_are_recorded_per_user_with_who_made_them():
    boss = User.objects.create_user("boss")
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    cashier = Group.objects.get_or_create(name="cashier")[0]
    auditor = Group.objects.get_or_create(name="auditor")[0]
    with acting_as(boss):
        alice.groups.add(cashier, auditor)
        cashier.user_set.add(bob)
        alice.groups.remove(auditor)
        cashier.user_set.clear()

    def change(of: str, how: str, items: list[str]) -> tuple[str, str, dict]:
        return (
            "boss",
            "permission-change",
            {"of": of, "field": "groups", "change": how, "items": items},
        )

    assert logged() == [
        change("alice", "add", ["auditor", "cashier"]),
        change("bob", "add", ["cashier"]),
        change("alice", "remove", ["auditor"]),
        change("alice", "remove", ["cashier"]),
        change("bob", "remove", ["cashier"]),
    ]
    assert {record.target_id for record in AuditRecord.objects.all()} == {
        str(alice.pk),
        str(bob.pk),
    }


def test_direct_and_group_permissions_are_recorded():
    alice = User.objects.create_user("alice")
    group = Group.objects.create(name="team")
    permission = Permission.objects.get(codename="view_user")
    alice.user_permissions.add(permission)
    group.permissions.add(permission)
    group.permissions.clear()
    assert [
        (data["of"], data["field"], data["change"], data["items"]) for _, _, data in logged()
    ] == [
        ("alice", "user_permissions", "add", ["auth.view_user"]),
        ("team", "permissions", "add", ["auth.view_user"]),
        ("team", "permissions", "remove", ["auth.view_user"]),
    ]


def test_staff_superuser_and_active_flags_are_recorded_only_when_they_change():
    alice = User.objects.create_user("alice")
    User.objects.create_superuser("root")
    alice.first_name = "Alice"
    alice.save()
    alice.is_staff = True
    alice.save()
    alice.is_active = False
    alice.is_superuser = True
    alice.save(update_fields=["is_active", "is_superuser"])
    alice.save(update_fields=["last_login"])
    assert [(data["of"], data["flags"]) for _, _, data in logged()] == [
        ("root", {"is_staff": [False, True], "is_superuser": [False, True]}),
        ("alice", {"is_staff": [False, True]}),
        ("alice", {"is_active": [True, False], "is_superuser": [False, True]}),
    ]


def test_the_middleware_makes_the_request_user_the_actor_of_permission_changes():
    boss = User.objects.create_user("boss")
    alice = User.objects.create_user("alice")
    cashier = Group.objects.get_or_create(name="cashier")[0]

    def view(request):
        alice.groups.add(cashier)
        return HttpResponse("ok")

    request = RequestFactory().post("/admin/")
    request.user = boss
    AuditActorMiddleware(view)(request)
    alice.groups.remove(cashier)  # outside any request: nobody known
    assert [(actor, data["change"]) for actor, _, data in logged()] == [
        ("boss", "add"),
        ("", "remove"),
    ]
    assert AuditRecord.objects.get(seq=1).actor_id == boss.pk
