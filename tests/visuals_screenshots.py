"""Screenshots of the timeline and the concept map, light and dark, at a desktop
(1280 px) and a phone (390 px) width, for issue #16's closing note.

    .venv/bin/python tests/visuals_screenshots.py site docs-assets/screenshots

SITE is a built site (`make site`); the pictures are written to OUT as
<page>-<palette>-<width>.png. Chromium as the browser tests find it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from judges import CHROMIUM_FLAGS, find_chromium

PAGES = {"timeline": "timeline", "concept-map": "glossary/map"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def take(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--headless", *CHROMIUM_FLAGS])
        for palette in ("light", "dark"):
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=palette)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto((site / path / "index.html").resolve().as_uri())
                    page.wait_for_load_state("load")
                    target = out / f"{name}-{palette}-{width_name}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                context.close()
        browser.close()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
