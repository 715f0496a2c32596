"""The last guard on every link a template writes: only web URLs and relative ones.

Bib fields and front matter are interpreted (a DOI becomes its resolver's URL,
a bad scheme is reported with its file and line) where they are read, in the
model; this filter makes sure that, whatever a template is given, an `href`
can never carry `javascript:`, `data:` or any scheme other than http(s).
"""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
_TABS_AND_BREAKS = str.maketrans("", "", "\t\n\r")


def safe_url(value) -> str:
    """`value` when it is an http(s) URL or a relative reference, else ""."""
    if value is None:
        return ""
    text = str(value)
    # Browsers drop leading white space and control characters, and tabs or line
    # breaks anywhere, before they read the scheme: so do we.
    probe = text.translate(_TABS_AND_BREAKS).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                                "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                                                                "\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    try:
        parts = urlsplit(probe)
    except ValueError:
        return ""
    if parts.scheme:
        return text if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else ""
    if ":" in probe.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return ""          # something urlsplit did not take for a scheme, but a browser might
    return text
