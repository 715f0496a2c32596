"""Fields that belong to the owner's machine, not to a public site.

Reference managers export, beside the reference itself, where the PDF lies on
the owner's disk (`file`, `local-url`, BibDesk's `bdsk-file-1`), links into the
owner's own application (`uri = {papers3://…}`, `zotero://…`), reading notes
and ratings (`annote`, `rating`, `read`), and bookkeeping (`date-added`,
`owner`, `timestamp`, `mendeley-groups`). None of it is published: these
fields are left out of the BibTeX we publish and format, of the fields source
pages show, of the RIS export and of anything derived from them.

Two rules:
- by name: `DEFAULT_PRIVATE_FIELDS` (shell patterns, any letter case), which a
  site extends with `private_fields: {add: [...]}` or narrows with
  `private_fields: {keep: [...]}`;
- by value, always: a value that is an address on the owner's machine or in a
  desktop application — a private URI scheme (`file:`, `papers3:`, `zotero:` …,
  or any `scheme://localhost`) or a path in a home folder or on a drive
  (`~/…`, `/Users/…`, `/home/…`, `C:\\…`, `\\\\server\\…`).
"""

from __future__ import annotations

import fnmatch
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULT_PRIVATE_FIELDS = (
    # where the owner's copy of the work lies
    "file", "files", "local-url", "pdf", "bdsk-file-*",
    # the owner's reading notes and judgements
    "annote", "annotation", "comment", "comment-*", "review", "rating", "ranking", "read", "readstatus",
    "printed", "priority", "qualityassured", "relevance",
    # bookkeeping of the reference manager
    "date-added", "date-modified", "added-at", "owner", "timestamp", "groups", "mendeley-*",
    "citavi-*", "zotero-*", "jabref-*", "_jabref_*", "intrahash", "interhash",
)

# URI schemes that point into the owner's computer or desktop applications.
PRIVATE_SCHEMES = frozenset({
    "file", "papers", "papers2", "papers3", "zotero", "mendeley", "bdsk", "x-bdsk", "bookends",
    "x-devonthink-item", "devonthink", "evernote", "onenote", "obsidian", "notion", "citavi",
    "endnote", "readcube", "afp", "smb", "nfs", "vnd.sun.star.webdav", "x-apple-data-detectors",
    "message", "x-callback-url", "joplin",
})
# A URI: a scheme, a colon and no space after it ("Message: a title" is no URI).
_URI = re.compile(r"\A(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):(?P<rest>[^\s].*|)\Z", re.DOTALL)
_LOCAL_PATH = re.compile(r"\A(?:~[/\\]|/(?:Users|home|private|Volumes|mnt|media|var/folders)/|[A-Za-z]:[\\/]|\\\\[^\\])")
_WRAPPERS = re.compile(r"\A(?:\\url\s*)?\{+|\}+\Z")
_LINK_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_EDGE = "".join(map(chr, range(0x21))) + "\u00a0\u200b\ufeff"
_TABS_NEWLINES = re.compile(r"[\t\n\r]")


def bare_value(value: str) -> str:
    """A field value read the way a browser reads an address (WHATWG URL): HTML entities
    decoded, protective braces and `\\url{}` dropped, control characters and spaces at
    either end stripped, tabs and newlines removed anywhere."""
    value = _WRAPPERS.sub("", html.unescape(value).strip())
    return _TABS_NEWLINES.sub("", value.strip(_EDGE))


def link_targets(value: str) -> list[str]:
    """The targets of `\\url{…}` and `\\href{…}{…}` inside a value."""
    return _LINK_COMMAND.findall(value) if "\\" in value else []


def is_private_value(value: str) -> bool:
    """An address on the owner's machine or in a desktop application: the value itself,
    or the target of a `\\url`/`\\href` in it."""
    return _is_private_address(value) or any(_is_private_address(target) for target in link_targets(value))


def _is_private_address(value: str) -> bool:
    bare = bare_value(value[:1024])      # only the start matters
    if _LOCAL_PATH.match(bare):
        return True
    match = _URI.match(bare)
    if not match:
        return False
    scheme, rest = match.group("scheme").lower(), match.group("rest")
    return scheme in PRIVATE_SCHEMES or rest.lower().startswith(("//localhost", "//127.0.0.1"))


@dataclass(frozen=True)
class PrivacyRules:
    """Which fields are private; built from the site's `private_fields` option."""

    patterns: tuple[str, ...] = DEFAULT_PRIVATE_FIELDS
    keep: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_option(cls, add=(), keep=()) -> "PrivacyRules":
        patterns = tuple(DEFAULT_PRIVATE_FIELDS) + tuple(name.lower() for name in add)
        return cls(patterns, frozenset(name.lower() for name in keep))

    def is_private_name(self, name: str) -> bool:
        return _private_name(self, name.lower())

    def is_private(self, name: str, value: str) -> bool:
        return self.is_private_name(name) or is_private_value(value)

    def unknown_keep(self) -> list[str]:
        """Names in `keep` that no default rule makes private (a typo, most likely)."""
        return sorted(name for name in self.keep
                      if not any(fnmatch.fnmatchcase(name, pattern) for pattern in self.patterns))


@lru_cache(maxsize=4096)
def _private_name(rules: PrivacyRules, name: str) -> bool:
    """Cached: a large export has ~50,000 fields but a few dozen distinct names."""
    return name not in rules.keep and any(fnmatch.fnmatchcase(name, pattern) for pattern in rules.patterns)


DEFAULT_RULES = PrivacyRules()
