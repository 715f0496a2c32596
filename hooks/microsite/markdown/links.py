"""Links an author writes in Markdown lead to the web, the site or an e-mail
address, never to a script: `[text](javascript:…)` is shown as its text and
reported where it is. Attributes written in Markdown (`{ onclick="…" }` with
attr_list) cannot hold a script either: an event handler is left out and
reported. (Raw HTML an author writes is passed as written, as in every
Markdown tool.)"""

from __future__ import annotations

from html import unescape
from urllib.parse import urlsplit
from xml.etree import ElementTree as etree

from microsite.markdown.processors import FeatureExtension, FeatureTreeprocessor

from microsite.site.urls import safe_url

PRIORITY = 6.95           # after inline processing; before the features' walks
LINK_SCHEMES = ("mailto", "tel")    # besides http(s) and the site's own links


def allowed_link(href: str) -> bool:
    # Markdown keeps character references in an address as written (`java&#115;cript:`,
    # `javascript&colon;`), and a browser decodes them before it reads the scheme: so do we.
    href = unescape(href)
    if safe_url(href):
        return True
    try:
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES


class LinkGuard(FeatureTreeprocessor):
    def run_on(self, root: etree.Element, state) -> None:
        for element in list(root.iter()):
            for name in [name for name in element.attrib if name.lower().startswith("on")]:
                del element.attrib[name]
                self.feature.report_handler(state, name)
            if element.tag == "a" and element.get("href") is not None and not allowed_link(element.get("href")):
                href = element.get("href")
                self.feature.report(state, href, "".join(element.itertext()))
                _as_text(element)
            elif element.tag == "img" and element.get("src") and not _image_source(element.get("src")):
                href, alt = element.get("src"), element.get("alt", "")
                self.feature.report(state, href, alt, what="image")
                _as_text(element)
                element.text = alt


def _as_text(element: etree.Element) -> None:
    """A link or image no longer: a span with its text (MkDocs rewrites every a and img)."""
    element.tag = "span"
    element.attrib.clear()
    element.set("class", "mx-link-refused")


def _image_source(src: str) -> bool:
    src = unescape(src)
    return bool(safe_url(src)) or src.strip().lower().startswith("data:image/")


def link_guard_extension(feature) -> FeatureExtension:
    return FeatureExtension(feature, ("treeprocessors", LinkGuard, "microsite-links", PRIORITY))
