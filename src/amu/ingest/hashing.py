"""Text normalisation and content-hash ids.

The normalised text is what every later stage stores and what every character offset refers
to, so normalisation is deliberately small: it must make the same report hash the same way
however it was saved, without moving characters a reader would count.
"""

from __future__ import annotations

import hashlib
import unicodedata

ID_LENGTH = 16
"""Hex characters of the sha256 digest kept as a document id (64 bits: ample for any corpus)."""


def normalise_text(text: str) -> str:
    """Normalise a decoded text for storage and hashing.

    Strips a leading byte-order mark, turns ``\\r\\n`` and lone ``\\r`` into ``\\n``, applies
    Unicode NFC and drops trailing whitespace at the end of the text. Leading whitespace is
    kept so that offsets still match what an editor shows for the file.

    Args:
        text: Decoded text.

    Returns:
        The normalised text. Normalising twice changes nothing.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NFC so that "é" typed as one code point or as e + combining accent hashes alike.
    text = unicodedata.normalize("NFC", text)
    # Editors disagree on the final newline; it must not change the id.
    return text.rstrip()


def content_id(normalised: str) -> str:
    """The id of a document: the first 16 hex characters of the sha256 of its text.

    Args:
        normalised: Text already passed through :func:`normalise_text`.

    Returns:
        A 16-character lowercase hex string.
    """
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:ID_LENGTH]
