"""End to end in a real browser: Playwright driving Debian's Chromium against a live server.

Signs in through the login form, opens the demo case from the case list, opens an evidence
item, records a custody event through the form and finds it in the chain with its sequence
number. With ``HABEAS_SCREENSHOTS=<dir>`` set, also saves a full-page screenshot of the demo
case page there (``docs/img`` holds the README's).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "browser-test-password-1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


def save_screenshot(page, path: Path, full_page=False):
    """Save a screenshot, reduced to a 128-colour palette when Pillow is there (README images)."""
    page.screenshot(path=str(path), full_page=full_page)
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        reduced = im.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


@pytest.fixture
def browser_page():
    """A headless Chromium page (Playwright sync API)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # The sync API runs an event loop in this thread; live_server's ORM calls must be allowed.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def demo_case(django_user_model):
    """The demo case as ``make demo`` loads it, with a user on its team."""
    from habeas.cases.demo import load_demo
    from habeas.cases.models import CaseMembership

    case, _ = load_demo()
    user = django_user_model.objects.create_user("advocate", password=PASSWORD, first_name="Ada",
                                                 last_name="Advocate")
    CaseMembership.objects.create(case=case, user=user)
    return case


@pytest.mark.django_db(transaction=True)
def test_sign_in_open_case_and_record_a_custody_event(live_server, browser_page, demo_case):
    page = browser_page
    page.goto(live_server.url + "/")
    assert "/login/" in page.url  # anonymous users are sent to sign in

    page.fill("#id_username", "advocate")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(re.compile(r".*/$"))

    shots = os.environ.get("HABEAS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        save_screenshot(page, Path(shots) / "case-list.png")

    page.click(f"a:has-text('{demo_case.caption}')")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == demo_case.caption
    assert page.locator("#evidence table tbody tr").count() == demo_case.evidence_items.count()

    if shots:
        save_screenshot(page, Path(shots) / "case-page.png", full_page=True)

    item = demo_case.evidence_items.order_by("item_number").first()
    before = item.custody_events.count()
    page.click(f"#evidence a.item-number:text-is('{item.item_number}')")
    page.wait_for_selector("#custody")
    assert item.item_number in page.inner_text("h1")

    page.click("a:has-text('Record custody event')")
    page.fill("#id_occurred", "2026-11-02")
    page.fill("#id_from_party", "Sheriff's property room")
    page.fill("#id_to_party", "Independent DNA laboratory")
    page.fill("#id_purpose", "Browser-test transfer for STR testing")
    page.select_option("#id_seal_condition", "intact")
    page.click("button:has-text('Save')")

    expected = before + 1
    row = page.locator(f"#custody-{expected}")
    row.wait_for()
    assert f"Custody event #{expected} recorded." in page.inner_text(".messages")
    assert row.locator(".seq").inner_text() == str(expected)
    assert "Independent DNA laboratory" in row.inner_text()
    assert "Chain intact" in page.inner_text("#custody")
    if shots:
        save_screenshot(page, Path(shots) / "evidence-page.png", full_page=True)
