"""The scholarly layer's data model: what a page is as a citable work, and the
records made from it for search engines and reference managers.

Pure modules (data in, data out; no MkDocs events, no HTML):

- `work`: the academic front matter of an article or brief -> `Work` (validated, located messages);
- `head`: `Work` + site + page -> Highwire, Dublin Core, Open Graph, Twitter and JSON-LD data;
- `cite`: `Work` -> the "cite this page" BibTeX and RIS records;
- `cff`: the site's CITATION.cff (1.2.0): build, write, validate with cffconvert.

The rules each follows, with their sources, are in notes/scholarly.md.
"""

from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import Person, Work, check_site_defaults, read_work

__all__ = ["Person", "SiteInfo", "Work", "check_site_defaults", "read_work"]
