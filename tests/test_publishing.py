"""The manifest of a finished build and its publication to results/ (publishing.py)."""

import hashlib
import json
from pathlib import Path

import pytest
from ssr_pipeline.errors import OutputError
from ssr_pipeline.publishing import publish, write_manifest


@pytest.fixture
def build(tmp_path):
    staged = tmp_path / "results" / "build"
    files = {"indicators/a.json": b'{"x": 1}\n', "reports/a/orthodox.pdf": b"%PDF-1.7 binary \x00\xff"}
    for rel, data in files.items():
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        (staged / rel).write_bytes(data)
    return tmp_path, staged, files


def test_the_manifest_lists_each_staged_file_with_its_size_and_sha256(build):
    _, staged, files = build
    out = staged / "manifest.json"
    write_manifest(out, staged, [staged / rel for rel in reversed(list(files))])
    listed = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert list(listed) == sorted(files)
    for rel, data in files.items():
        assert listed[rel] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_the_manifest_takes_paths_relative_to_the_project_as_the_jobs_give_them(build, monkeypatch):
    root, _, files = build
    monkeypatch.chdir(root)
    out = Path("results/build/manifest.json")
    write_manifest(out, Path("results/build"), [f"results/build/{rel}" for rel in files])
    listed = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert {rel: e["sha256"] for rel, e in listed.items()} == {
        rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()
    }


def test_a_changed_staged_file_changes_the_manifest(build):
    _, staged, files = build
    out = staged / "manifest.json"
    write_manifest(out, staged, [staged / rel for rel in files])
    before = out.read_bytes()
    write_manifest(out, staged, [staged / rel for rel in files])
    assert out.read_bytes() == before  # same build, same bytes
    (staged / "indicators/a.json").write_bytes(b'{"x": 2}\n')
    write_manifest(out, staged, [staged / rel for rel in files])
    assert out.read_bytes() != before


def test_publish_copies_every_listed_file_to_results(build):
    root, staged, files = build
    manifest = staged / "manifest.json"
    write_manifest(manifest, staged, [staged / rel for rel in files])
    dests = [root / "results" / rel for rel in files]
    assert publish(manifest, staged, dests, root / "results" / "manifest.json") == 2
    for rel, data in files.items():
        assert (root / "results" / rel).read_bytes() == data
    assert (root / "results" / "manifest.json").read_bytes() == manifest.read_bytes()


def test_publish_refuses_a_manifest_that_does_not_match_its_outputs(build):
    root, staged, files = build
    manifest = staged / "manifest.json"
    write_manifest(manifest, staged, [staged / "indicators/a.json"])
    with pytest.raises(OutputError, match="reports/a/orthodox.pdf"):
        publish(
            manifest, staged, [root / "results" / rel for rel in files], root / "results" / "manifest.json"
        )
    assert not (root / "results" / "indicators" / "a.json").exists()


def test_a_folder_in_the_way_stops_publish_before_any_copy(build):
    root, staged, files = build
    manifest = staged / "manifest.json"
    write_manifest(manifest, staged, [staged / rel for rel in files])
    (root / "results" / "reports" / "a" / "orthodox.pdf").mkdir(parents=True)
    (root / "results" / "indicators").mkdir()
    (root / "results" / "indicators" / "a.json").write_bytes(b"old\n")
    with pytest.raises(OutputError, match="is a folder where the published file goes"):
        publish(
            manifest, staged, [root / "results" / rel for rel in files], root / "results" / "manifest.json"
        )
    assert (root / "results" / "indicators" / "a.json").read_bytes() == b"old\n"
