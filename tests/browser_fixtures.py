"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser) against
pytest-django's `live_server`. Mark tests `@pytest.mark.browser`; they skip when /usr/bin/chromium
is missing (CI installs it).

Fixtures: `browser` (one chromium per session), `page` (a fresh context on the live server, with
downloads on), `log_in(page, user name, password)`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        accept_downloads=True,
        locale="zh-CN",  # a Chinese desktop: the pages come in their default language
        viewport={"width": 1360, "height": 900},
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def log_in() -> Callable[[Any, str, str], None]:
    def enter(page: Any, username: str, password: str) -> None:
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button.primary")
        page.wait_for_url(lambda url: "/login/" not in url)

    return enter
