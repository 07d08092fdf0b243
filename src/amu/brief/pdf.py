"""The brief as PDF: the same HTML printed by a headless Chromium (Debian's ``chromium`` package).

Chromium runs as a subprocess with a throw-away profile and no network features (no background
networking, component updates, sync or first-run tasks); the page it prints is a local file that refers to
nothing outside itself. The page's ``@media print`` rules start each section on a new page.

>>> from amu.brief.pdf import html_to_pdf
>>> html_to_pdf("brief.html", "brief.pdf")
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from amu.errors import ExportError, ModelNotAvailable

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("install Debian's Chromium (sudo apt-get install chromium), or set AMU_CHROMIUM to a "
                "Chromium or Chrome binary; or open the HTML brief in a browser and print it")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


class ChromiumNotFound(ModelNotAvailable):
    """No Chromium binary to print the brief with."""


def find_chromium(explicit: str | None = None) -> str:
    """The Chromium binary: ``explicit`` (a path or a name on PATH) when given, else the first of
    :data:`CANDIDATES` on PATH; :class:`ChromiumNotFound`, saying how to install it, when there is none."""
    if explicit:
        found = shutil.which(explicit) or (explicit if os.access(explicit, os.X_OK) and Path(explicit).is_file()
                                           else None)
        if not found:
            raise ChromiumNotFound(f"Chromium not found at {explicit!r} (AMU_CHROMIUM); cannot render the PDF",
                                   hint=INSTALL_HINT)
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFound("Chromium is not installed; cannot render the brief to PDF", hint=INSTALL_HINT)


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, chromium: str | None = None,
                timeout: float = 120.0) -> Path:
    """Print the HTML file ``html_path`` to ``pdf_path`` with headless Chromium; returns the PDF's path.

    Raises :class:`ChromiumNotFound` when there is no Chromium, :class:`ExportError` when it fails, times
    out or writes no PDF (with Chromium's last words).
    """
    binary = find_chromium(chromium)
    source = Path(html_path).resolve()
    out = Path(pdf_path).resolve()
    if not source.is_file():
        raise ExportError(f"no HTML brief at {source} to render", hint="write it first: amu brief -o FILE")
    if out.exists():
        out.unlink()
    with tempfile.TemporaryDirectory(prefix="amu-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", source.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise ExportError(f"Chromium did not finish printing {source.name} in {timeout:.0f} s",
                              hint="try again, or open the HTML brief in a browser and print it") from None
        except OSError as exc:
            raise ChromiumNotFound(f"cannot run {binary}: {exc.strerror or exc}", hint=INSTALL_HINT) from None
    if not out.is_file() or out.stat().st_size == 0 or not out.read_bytes()[:5] == b"%PDF-":
        tail = "\n".join((done.stderr or "").strip().splitlines()[-5:])
        raise ExportError(f"Chromium (exit {done.returncode}) wrote no PDF to {out}" + (f":\n{tail}" if tail else ""),
                          hint="check that the folder is writable; or open the HTML brief in a browser and print it")
    return out
