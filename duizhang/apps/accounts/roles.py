"""Who may do what. Roles are Django groups (created by a migration); services check them with
`require_role`, so a rule holds whatever calls the service: a view, the API or a command."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied


class Role(StrEnum):
    CASHIER = "cashier"  # prepares: imports, matches, drafts statements
    REVIEWER = "reviewer"  # reviews what the cashier prepared, independently
    MANAGER = "manager"  # configuration, reopening closed work
    AUDITOR = "auditor"  # reads everything, changes nothing
    CUSTOMER = "customer"  # the customer portal only, for exactly one customer


STAFF_ROLES = frozenset({Role.CASHIER, Role.REVIEWER, Role.MANAGER, Role.AUDITOR})
PREPARERS = (Role.CASHIER, Role.MANAGER)


def role_group(role: Role) -> Group:
    """The group that carries `role`. A migration creates them; creating one on demand keeps a
    database flushed by a tool (or a transactional test) usable."""
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


def user_roles(user: User | AnonymousUser) -> frozenset[Role]:
    """The user's roles. A portal (customer) account never counts as staff, whatever other
    groups it is in; a superuser holds every staff role."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return frozenset()
    names = set(user.groups.values_list("name", flat=True))
    if Role.CUSTOMER in names:
        return frozenset({Role.CUSTOMER})
    if user.is_superuser:
        return STAFF_ROLES
    return frozenset(role for role in Role if role.value in names)


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return not user_roles(user).isdisjoint(roles)


def require_role(user: User | AnonymousUser, *roles: Role) -> None:
    """Raise PermissionDenied unless the user holds at least one of `roles`."""
    if not has_role(user, *roles):
        wanted = ", ".join(role.value for role in roles)
        raise PermissionDenied(f"this needs one of the roles: {wanted}")
