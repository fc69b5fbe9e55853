from tests.apps.factories import bank, company, csv_file  # noqa: F401
