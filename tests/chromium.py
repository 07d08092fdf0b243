"""Debian's Chromium for the browser tests: where it is, how to start it here, and the skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Headless on a closed network: without the background-networking flags Chromium keeps trying to reach Google.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def needs_chromium(what: str) -> pytest.MarkDecorator:
    """Skip a module when Chromium is not installed, saying how to install it and what it was for."""
    return pytest.mark.skipif(not Path(CHROMIUM).exists(),
                              reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                                     f"to {what}")
