"""Publishing a finished build: the manifest of the staged files, then their copy to results/.

Rule publish reads the manifest, not the staged files themselves. Snakemake records, for
each output of a job, a checksum of every input (persistence.finished), so a job with as
many inputs as outputs costs their product: at 200 countries 2,008 outputs times 2,009
inputs, about 20 minutes of hashing after the last report. Through the manifest each side
is read once.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError
from .io import copy_atomic, read_json, remove_tmp, write_json
from .provenance import checksums

# Where every job writes (the staging tree), relative to the project folder; laid out like
# its parent, results/, where publish copies the finished build.
STAGED_ROOT = Path("results/build")


def write_manifest(path: Path, staged_root: Path, staged: list) -> dict:
    """List every staged file (relative to staged_root) with its size and sha256.

    The checksums make the manifest change whenever a staged file's content does, which is
    what makes Snakemake publish again."""
    # Staged paths are relative to the project folder (the job's), not to staged_root.
    hashes = checksums([Path(p).resolve() for p in staged], staged_root)
    sizes = {rel: (staged_root / rel).stat().st_size for rel in hashes}
    manifest = {"files": {rel: {"bytes": sizes[rel], "sha256": h} for rel, h in hashes.items()}}
    write_json(path, manifest)
    return manifest


def publish(manifest_path: Path, staged_root: Path, destinations: list, published_manifest: Path) -> int:
    """Copy every file the manifest lists from staged_root to its destination, then the
    manifest itself to published_manifest (so results/manifest.json describes results/).

    destinations are the job's outputs; they must be the manifest's files under the results
    folder. Every destination is checked before anything is copied, so a folder in the way
    stops the job with all the published files as they were."""
    listed = set(read_json(manifest_path)["files"])
    results_root = staged_root.parent
    rels = {Path(d).relative_to(results_root).as_posix(): Path(d) for d in destinations}
    if listed != set(rels):
        raise OutputError(
            f"{manifest_path}: lists other files than the ones to publish "
            f"(not published: {sorted(listed - set(rels))[:5]}; "
            f"not in the build: {sorted(set(rels) - listed)[:5]}); run again"
        )
    pairs = [(staged_root / rel, dest) for rel, dest in rels.items()]
    pairs.append((manifest_path, Path(published_manifest)))
    blocked = [dest for _, dest in pairs if dest.is_dir() and not dest.is_symlink()]
    if blocked:
        raise OutputError(
            "\n".join(
                f"{dest}: is a folder where the published file goes; move it away and "
                "run again (nothing was published)"
                for dest in blocked
            )
        )
    for src, dest in pairs:
        copy_atomic(src, dest)
    # A job killed outright (SIGKILL) can leave a temporary file behind; none survives a publish.
    for folder in sorted({dest.parent for _, dest in pairs}):
        for tmp in folder.glob("*.tmp"):
            remove_tmp(tmp)
    return len(pairs) - 1
