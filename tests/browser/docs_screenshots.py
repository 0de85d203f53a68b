"""Regenerate docs/screenshots/ from the built results/ with Debian's Chromium.

    .venv/bin/python tests/browser/docs_screenshots.py

report-page.png: a case report at desktop width (first screen); synthesis-key-figure.png: the
synthesis's first figure with its caption; preview-overlay.png: the live preview's error overlay,
copied from results/screenshots/ where tests/test_preview.py saves it. All are palette-quantised
PNGs to stay small.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from test_browser import CHROMIUM, CHROMIUM_ARGS

OUT = ROOT / "docs/screenshots"
LIMIT = 300_000


def save_small(png: bytes, path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with matplotlib; without it keep the plain PNG
        path.write_bytes(png)
        return
    img = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        buf = io.BytesIO()
        img.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(buf, "PNG", optimize=True)
        if buf.tell() <= LIMIT:
            break
    path.write_bytes(buf.getvalue())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((ROOT / "results/reports/el-salvador/orthodox.html").as_uri())
        save_small(page.screenshot(), OUT / "report-page.png")
        page.goto((ROOT / "results/reports/synthesis.html").as_uri())
        save_small(page.locator("#fig-1").screenshot(), OUT / "synthesis-key-figure.png")
        browser.close()
    overlay = ROOT / "results/screenshots/preview-overlay.png"
    if overlay.is_file():
        save_small(overlay.read_bytes(), OUT / "preview-overlay.png")
    else:
        print(f"{overlay.relative_to(ROOT)} missing: run tests/test_preview.py first", file=sys.stderr)
    for f in sorted(OUT.glob("*.png")):
        print(f.relative_to(ROOT), f.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
