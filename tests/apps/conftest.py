from tests.apps.factories import (  # noqa: F401
    bank,
    company,
    csv_file,
    customer,
    customer_books,
    ledger,
    make_user,
    other_customer,
)
