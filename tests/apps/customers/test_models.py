from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import CommunicationLog, Customer
from duizhang.apps.customers.services import communication_log_add


def _valid(customer: Customer) -> None:
    customer.full_clean()


@pytest.mark.parametrize("code", ["91110000600037341L", "91330100MA2KX7B40F"])
def test_valid_unified_social_credit_code(customer, code):
    customer.uscc = code
    _valid(customer)


@pytest.mark.parametrize("code", ["91110000600037341M", "9111000060003734", "I1110000600037341L"])
def test_invalid_unified_social_credit_code(customer, code):
    customer.uscc = code
    with pytest.raises(ValidationError) as caught:
        customer.full_clean()
    assert list(caught.value.message_dict) == ["uscc"]


def test_note_is_added_by_a_cashier(customer, make_user):
    cashier = make_user(Role.CASHIER)

    note = communication_log_add(
        customer=customer, by=cashier, channel="phone", direction="out", summary=" 已催款 "
    )

    assert (note.summary, note.by, note.customer) == ("已催款", cashier, customer)


def test_auditor_cannot_add_a_note(customer, make_user):
    with pytest.raises(PermissionDenied):
        communication_log_add(
            customer=customer,
            by=make_user(Role.AUDITOR),
            channel="phone",
            direction="out",
            summary="x",
        )
    assert CommunicationLog.objects.count() == 0
