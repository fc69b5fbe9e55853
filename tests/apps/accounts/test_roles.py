from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied

from duizhang.apps.accounts.roles import STAFF_ROLES, Role, require_role, role_group, user_roles


def test_migration_creates_one_group_per_role(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_roles_come_from_groups(make_user):
    assert user_roles(make_user(Role.REVIEWER)) == {Role.REVIEWER}


def test_portal_user_is_never_staff_even_in_a_staff_group(make_user, customer):
    user = make_user(Role.CUSTOMER, customer=customer)
    user.groups.add(role_group(Role.CASHIER))

    assert user_roles(user) == {Role.CUSTOMER}
    with pytest.raises(PermissionDenied):
        require_role(user, Role.CASHIER)


def test_superuser_holds_every_staff_role(db):
    admin = User.objects.create_superuser("admin", password="x")
    assert user_roles(admin) == STAFF_ROLES


def test_anonymous_and_inactive_users_hold_nothing(make_user):
    inactive = make_user(Role.MANAGER)
    inactive.is_active = False
    assert user_roles(AnonymousUser()) == frozenset()
    assert user_roles(inactive) == frozenset()


def test_require_role_accepts_any_of_the_roles(make_user):
    require_role(make_user(Role.MANAGER), Role.CASHIER, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        require_role(make_user(Role.AUDITOR, name="a2"), Role.CASHIER, Role.MANAGER)
