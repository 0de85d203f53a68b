"""The scaffold command: config.yaml edited as YAML (comments and order kept), headers from the schemas."""

import shutil
from pathlib import Path

import yaml
from ssr_pipeline import ledger
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.inputs import COUNTRY_TABLES, load_codebook, load_country
from ssr_pipeline.scaffold import add_to_config, scaffold
from ssr_pipeline.schemas import columns

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "workflow" / "schemas"


def test_adding_a_country_changes_only_its_line(tmp_path):
    config = tmp_path / "config.yaml"
    shutil.copy2(ROOT / "config.yaml", config)
    before = config.read_text(encoding="utf-8")
    assert add_to_config(config, "liberia") is True
    after = config.read_text(encoding="utf-8")
    # Every comment, blank line and key stays where it was; the slug follows the last country.
    last = before.index("  - timor-leste\n") + len("  - timor-leste\n")
    assert after == before[:last] + "  - liberia\n" + before[last:]
    data = yaml.safe_load(after)
    assert data["countries"] == [
        "el-salvador",
        "bosnia-herzegovina",
        "sierra-leone",
        "timor-leste",
        "liberia",
    ]
    assert list(data) == list(yaml.safe_load(before))


def test_comments_inside_and_after_the_list_are_kept(tmp_path):
    config = tmp_path / "config.yaml"
    text = (
        "# head comment\ncountries:\n  # first the pilot\n  - el-salvador  # pilot\n  - timor-leste\n"
        "# trailing comment\n\ninputs_dir: inputs\nfigures:\n  governance_indicators: [wgi_rl, wgi_ge]\n"
    )
    config.write_text(text, encoding="utf-8")
    assert add_to_config(config, "liberia")
    assert config.read_text(encoding="utf-8") == text.replace(
        "  - timor-leste\n", "  - timor-leste\n  - liberia\n"
    )


def test_a_country_already_listed_is_refused_and_the_file_untouched(tmp_path):
    config = tmp_path / "config.yaml"
    shutil.copy2(ROOT / "config.yaml", config)
    before = config.read_bytes()
    assert add_to_config(config, "sierra-leone") is False
    assert config.read_bytes() == before


def test_headers_are_the_row_schemas_properties():
    for t in COUNTRY_TABLES.values():
        schema = yaml.safe_load((SCHEMAS / f"{t.schema}.schema.yaml").read_text(encoding="utf-8"))
        assert columns(t.schema) == list(schema["properties"]), t.file
    # The shipped files use the same columns in the same order.
    for t in COUNTRY_TABLES.values():
        first = (ROOT / "inputs/el-salvador" / t.file).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.split(",") == columns(t.schema), t.file


def test_a_scaffolded_country_is_valid_with_an_empty_ledger(tmp_path):
    shutil.copy2(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "inputs" / "codebook", tmp_path / "inputs" / "codebook")
    folder = scaffold(tmp_path, "LBR", region="West Africa", reform_start=2003)
    assert folder == tmp_path / "inputs" / "liberia"
    for t in COUNTRY_TABLES.values():
        assert (folder / t.file).read_text(encoding="utf-8") == ",".join(columns(t.schema)) + "\n"
    text = (folder / "imports.yaml").read_text(encoding="utf-8")
    assert text.startswith(ledger.HEADER) and yaml.safe_load(text) == []
    assert "imports.yaml" in (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    assert (
        yaml.safe_load((tmp_path / "config.yaml").read_text(encoding="utf-8"))["countries"][-1] == "liberia"
    )
    problems = ProblemList()
    codebook = load_codebook(tmp_path / "inputs", tmp_path, problems)
    bundle = load_country(tmp_path / "inputs", "liberia", codebook, tmp_path, problems)
    ledger.check_ledger(folder / "imports.yaml", "imports.yaml", problems)
    assert problems.items == [] and bundle["country"]["iso3"] == "LBR"
