"""Debian's chromium, headless, driven through Debian's chromedriver by Selenium.

A fresh profile directory per browser, no network services of Chrome's own (sync, component
updates, background networking): the browser only talks to the hub on loopback.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@contextmanager
def chromium(
    width: int = 1280, height: int = 900, scale: float = 1.0
) -> Iterator[webdriver.Chrome]:
    """A headless chromium; `scale` > 1 renders like browser zoom (device scale factor)."""
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            raise FileNotFoundError(f"{needed} missing: apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="hub-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",  # tests run as root in CI, where chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale}",
        "--lang=ko",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)
