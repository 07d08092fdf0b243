"""Export incidents: CSV, GeoJSON, JSON, JSON Lines and STIX 2.1.

Library first: each format is a ``write_*(rows, out)`` function over
:class:`amu.find.IncidentRow`; :func:`export` picks one by name and
:func:`export_file` writes a file. The CLI (`amu export`, `amu incidents
--format`) only parses options and calls these.

>>> from amu.find import find_incidents, parse_filters
>>> from amu.export import export_file
>>> export_file(find_incidents(store, parse_filters(country=["TJ"])), "stix", "tj.json")
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Sequence

from amu.errors import ExportError
from amu.find.rows import IncidentRow

FORMATS: tuple[str, ...] = ("csv", "geojson", "json", "jsonl", "stix")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the incidents written and those left out (GeoJSON: no coordinates)."""

    format: str
    written: int
    left_out: int = 0

    def summary(self, target: str) -> str:
        line = f"{self.written} incidents written to {target} ({self.format})"
        if self.left_out:
            line += (f"; {self.left_out} incidents without coordinates (located only to a country, or not at all) "
                     "are not in the map; the CSV has them")
        return line


def write_json(rows: Iterable[IncidentRow], out: IO[str]) -> int:
    items = [r.to_dict() for r in rows]
    json.dump(items, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(items)


def write_jsonl(rows: Iterable[IncidentRow], out: IO[str]) -> int:
    n = 0
    for r in rows:
        out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _writer(fmt: str) -> Callable[[Sequence[IncidentRow], IO[str]], ExportResult]:
    if fmt == "csv":
        from amu.export.csv import write_csv

        return lambda rows, out: ExportResult(fmt, write_csv(rows, out))
    if fmt == "geojson":
        from amu.export.geojson import write_geojson

        def geo(rows: Sequence[IncidentRow], out: IO[str]) -> ExportResult:
            written, missing = write_geojson(rows, out)
            return ExportResult(fmt, written, missing)
        return geo
    if fmt == "stix":
        from amu.export.stix import write_stix

        return lambda rows, out: ExportResult(fmt, write_stix(rows, out))
    if fmt == "json":
        return lambda rows, out: ExportResult(fmt, write_json(rows, out))
    if fmt == "jsonl":
        return lambda rows, out: ExportResult(fmt, write_jsonl(rows, out))
    raise ExportError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")


def export(rows: Iterable[IncidentRow], fmt: str, out: IO[str]) -> ExportResult:
    """Write ``rows`` to an open text stream in format ``fmt`` (one of :data:`FORMATS`)."""
    return _writer(fmt)(list(rows), out)


def export_file(rows: Iterable[IncidentRow], fmt: str, path: str | Path) -> ExportResult:
    """Write ``rows`` to ``path`` in format ``fmt``; the file appears whole or not at all."""
    target = Path(path)
    writer = _writer(fmt)
    if target.is_dir():
        raise ExportError(f"{target} is a folder", hint="give a file name, e.g. -o incidents.csv")
    if not target.parent.exists():
        raise ExportError(f"no folder {target.parent}", hint="create it first, or write elsewhere with -o")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            result = writer(list(rows), out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # a shareable file like any other the user writes, not mkstemp's 0600
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}",
                          hint="check the path and its permissions") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return result
