"""The generator's features, in the order the build calls them.

Order matters where one feature reads what another writes in the same event:
documents are read before the glossary and the bibliography use them; the
bibliography decides which sources are listed before formatting starts; the
page head escapes, last, what the others set in a page's meta.
To add a feature: write its module (a `Feature` subclass) and its templates,
and add it here.
"""

from microsite.features.bibliography import Bibliography
from microsite.features.byline import Byline
from microsite.features.citations import Citations
from microsite.features.concept_map import ConceptMap
from microsite.features.documents import Documents
from microsite.features.downloads import Downloads
from microsite.features.editions import Editions
from microsite.features.formatting import Formatting
from microsite.features.glossary import Glossary
from microsite.features.links import Links
from microsite.features.page_head import PageHead
from microsite.features.preview import Preview
from microsite.features.scholarly import Scholarly
from microsite.features.search import Search
from microsite.features.theme import Theme
from microsite.features.timeline import Timeline

FEATURES = [
    Theme,
    Documents,
    Links,
    Scholarly,         # the works of articles and briefs; their references to format (before Formatting)
    Editions,          # starts the offline build early, before the bib files are read
    Glossary,
    ConceptMap,
    Timeline,          # before the bibliography, which lists the sources its events cite
    Bibliography,
    Citations,
    Formatting,        # after the features that ask for documents to format
    Byline,
    Downloads,
    PageHead,
    Preview,
    Search,
]
