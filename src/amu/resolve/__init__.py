"""Resolution: cross-document incidents (fusion) and their fused figures. Places live in :mod:`amu.places`."""
