"""Fingerprints of files and of the code: sha256 checksums and the git version of the project."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(paths, root) -> dict[str, str]:
    """{path relative to root, with '/': sha256} for every file, sorted by path."""
    root = Path(root).resolve()
    out = {}
    for p in paths:
        p = Path(p)
        full = p if p.is_absolute() else root / p
        try:
            key = full.resolve().relative_to(root).as_posix()
        except ValueError:
            key = p.as_posix()
        out[key] = sha256(full)
    return dict(sorted(out.items()))


def code_version(root) -> str | None:
    """`git describe --always --dirty` when root is the top of a git checkout, else None.

    A copy of the project inside some other repository is not a checkout of the project,
    so the top level must be root itself.
    """
    git = shutil.which("git")
    if git is None:
        return None
    root = Path(root).resolve()

    def run(*args):
        res = subprocess.run([git, *args], cwd=root, capture_output=True, text=True, check=False, timeout=30)
        return res.stdout.strip() if res.returncode == 0 else None

    try:
        top = run("rev-parse", "--show-toplevel")
        if not top or Path(top).resolve() != root:
            return None
        return run("describe", "--always", "--dirty") or None
    except (OSError, subprocess.SubprocessError):
        return None
