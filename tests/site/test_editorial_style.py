"""editorial.css in a real browser: the editors' boxes and the 'Article §' links
are styled, distinct from Material's admonitions, and readable (WCAG AA
contrast, 4.5:1) in the light and the dark palette."""

from __future__ import annotations

import re

import pytest

from conftest import serve

# For an element: its text colour and the background colours from it up to <html>.
COLOURS = """element => {
  const layers = [];
  for (let e = element; e; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
  return {text: getComputedStyle(element).color, layers};
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def over(top, bottom):
    r, g, b, a = top
    return tuple(a * c + (1 - a) * d for c, d in zip((r, g, b), bottom[:3])) + (1.0,)


def luminance(colour) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(page, selector: str) -> float:
    found = page.eval_on_selector(selector, COLOURS)
    background = (255.0, 255.0, 255.0, 1.0)                 # the canvas
    for layer in reversed(found["layers"]):
        background = over(rgba(layer), background)
    text = over(rgba(found["text"]), background)
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture(scope="module")
def site_url(real_site):
    with serve(real_site) as url:
        yield url


@pytest.mark.parametrize("scheme, palette", [("light", "default"), ("dark", "slate")])
def test_editors_boxes_and_provenance_links_are_distinct_and_readable(browser, site_url, scheme, palette):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(site_url + "briefs/us-strategy-options/")
        assert page.eval_on_selector("body", "b => b.getAttribute('data-md-color-scheme')") == palette
        title = ".admonition.editors > .admonition-title"
        icon = page.eval_on_selector(title, "t => getComputedStyle(t, '::before').maskImage || "
                                            "getComputedStyle(t, '::before').webkitMaskImage")
        assert "svg" in icon and icon != page.eval_on_selector(
            ".admonition.abstract > .admonition-title", "t => getComputedStyle(t, '::before').maskImage")
        border = page.eval_on_selector(".admonition.editors", "e => getComputedStyle(e).borderLeftColor")
        assert border != page.eval_on_selector(".admonition.abstract", "e => getComputedStyle(e).borderLeftColor")
        assert contrast(page, title) >= 4.5
        assert contrast(page, ".admonition.editors > p:not(.admonition-title)") >= 4.5
        assert contrast(page, "a.mx-from-article") >= 4.5
        size = page.eval_on_selector("a.mx-from-article", "a => parseFloat(getComputedStyle(a).fontSize)")
        body = page.eval_on_selector("article p:not(.mx-byline)", "p => parseFloat(getComputedStyle(p).fontSize)")
        assert size < body                                      # quieter than the text it ends
    finally:
        page.close()
