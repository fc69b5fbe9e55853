"""The auditor's page: staff only, filters, pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from duizhang.apps.accounts.roles import Role, role_group
from duizhang.apps.audit.services import audit_record

pytestmark = pytest.mark.django_db
URL = reverse("audit:records")


def member(name: str, role: str) -> User:
    user = User.objects.create_user(name)
    user.groups.add(role_group(Role(role)))
    return user


def seqs(response) -> list[int]:
    return [record.seq for record in response.context["page"]]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_portal_users_are_refused(client):
    client.force_login(member("portal", "customer"))
    assert client.get(URL).status_code == 403


def test_auditor_filters_by_user_customer_and_action(client):
    auditor = member("auditor1", "auditor")
    for n in range(4):
        audit_record(actor="alice" if n % 2 else "bob", action="match", customer=f"C00{n % 2}")
    audit_record(actor="alice", action="approve", customer="C001")
    client.force_login(
        auditor
    )  # recorded too (#7), after the group change that made them auditor (#1)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "approve" in page and "C001" in page
    all_seqs = seqs(response)
    assert all_seqs == sorted(all_seqs, reverse=True) and len(all_seqs) == 7
    assert seqs(client.get(URL, {"user": "alice"})) == [6, 5, 3]
    assert seqs(client.get(URL, {"user": "alice", "action": "match"})) == [5, 3]
    assert seqs(client.get(URL, {"customer": "C000"})) == [4, 2]
    assert seqs(client.get(URL, {"action": "login"})) == [7]
    refused = client.get(URL, {"user": "mallory"})  # not a user in the log: the form says so
    assert refused.context["form"].errors and len(seqs(refused)) == 7


def test_pages_keep_the_filter(client):
    client.force_login(member("reviewer1", "reviewer"))
    for n in range(120):
        audit_record(actor="alice", action="comment", data={"n": n})
    response = client.get(URL, {"user": "alice", "page": 2})
    assert seqs(response) == list(range(72, 22, -1))  # #1 and #2: the group change and the login
    assert 'href="?user=alice&amp;page=3"' in response.content.decode()
