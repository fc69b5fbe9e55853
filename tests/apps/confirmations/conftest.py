from tests.apps.statements.conftest import booked, cashier, generate, media, sent, staff  # noqa: F401
