"""Create inputs/<slug>/ for a new case-study country, valid from the first run."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import yaml

from . import ledger
from .inputs import COUNTRY_TABLES
from .schemas import columns

NARRATIVE = {
    "orthodox": """## Context

Describe the conflict, the peace settlement and the external support for security sector reform in
{name}. Cite sources by their keys in references.yaml (the syntax is in inputs/README.md).

## Design and practice

Discuss the coding in orthodox.csv dimension by dimension.

## Why reform succeeded or failed

Explain the gaps between design and practice.
""",
    "second-generation": """## Entry points

Describe the second-generation initiatives recorded in initiatives.csv: how they were used and, for
those not used, why not.

## Effects

Discuss the measured effects; insert computed values with live figures, for example the latest
homicide rate with a live-figure expression (see inputs/README.md).
""",
}


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def lookup(query: str) -> tuple[str, str]:
    """(name, ISO3) from a country name or ISO code, using ISO 3166 (pycountry)."""
    import pycountry

    try:
        c = pycountry.countries.lookup(query)
    except LookupError:
        matches = pycountry.countries.search_fuzzy(query) if len(query) > 3 else []
        if not matches:
            raise LookupError(f"'{query}' is not an ISO 3166 country name or code") from None
        c = matches[0]
    return getattr(c, "common_name", None) or c.name, c.alpha_3


def _yaml_round_trip():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    return y


def add_to_config(config_path: Path, slug: str) -> bool:
    """Append the slug to `countries:` in config.yaml (round trip: comments and order kept).

    Returns False, leaving the file untouched, when the slug is already listed.
    """
    y = _yaml_round_trip()
    text = config_path.read_text(encoding="utf-8")
    data = y.load(text)
    countries = data.get("countries")
    if countries is None:
        raise ValueError(f"{config_path.name} has no `countries:` list")
    if slug in countries:
        return False
    last = len(countries) - 1
    countries.append(slug)
    # A comment or blank line after the last item belongs to that item in ruamel.yaml; it
    # has to move to the new last item, or the slug would land below the next key's comment.
    if last >= 0 and last in countries.ca.items:
        countries.ca.items[last + 1] = countries.ca.items.pop(last)
    buf = io.StringIO()
    y.dump(data, buf)
    config_path.write_text(buf.getvalue(), encoding="utf-8")
    return True


def scaffold(
    root: Path,
    query: str,
    region: str | None = None,
    reform_start: int | None = None,
    inputs_dir: str = "inputs",
) -> Path:
    name, iso3 = lookup(query)
    slug = slugify(name)
    folder = root / inputs_dir / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists")
    (folder / "narrative").mkdir(parents=True)
    country = {
        "name": name,
        "slug": slug,
        "iso3": iso3,
        "region": region or "Region to be set",
        "conflict": {
            "start": reform_start or 2000,
            "end": reform_start or 2000,
            "label": "Conflict to be described",
        },
        "peace_agreement": None,
        "reform_start": reform_start or 2000,
        "authors": ["Comparative SSR study team"],
        "summary": f"Case study of security sector reform in {name} (inputs to be completed).",
    }
    header = (
        "# Scaffolded by `python -m ssr_pipeline scaffold`. Replace the placeholders:\n"
        "# conflict years, peace agreement (name, date, source), reform_start, region.\n"
    )
    (folder / "country.yaml").write_text(
        header + yaml.safe_dump(country, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for table in COUNTRY_TABLES.values():
        (folder / table.file).write_text(",".join(columns(table.schema)) + "\n", encoding="utf-8")
    ledger.create_empty(folder / ledger.LEDGER)
    (folder / "references.yaml").write_text(
        "# Works cited by this country's files: see inputs/README.md.\n[]\n", encoding="utf-8"
    )
    for report, text in NARRATIVE.items():
        (folder / "narrative" / f"{report}.md").write_text(text.format(name=name), encoding="utf-8")
    (folder / "PROVENANCE.md").write_text(
        f"# Provenance: inputs/{slug}/\n\nScaffolded for {name} ({iso3}); name and code from ISO 3166 "
        "(pycountry). Series are added with `python -m ssr_pipeline import`, which records each import "
        "(file, sha256, publisher, release, licence, rows) in `imports.yaml` beside this file.\n",
        encoding="utf-8",
    )
    add_to_config(root / "config.yaml", slug)
    return folder
