"""One file per schema version, applied in order (``down_revision`` chains them)."""
