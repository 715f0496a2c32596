"""How a feature works on the Markdown of a page: its processors are registered
once (through `FeatureExtension`) and run on whatever page is being converted,
which they read from the build's context."""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


class FeatureTreeprocessor(Treeprocessor):
    """A feature's treeprocessor: `run_on` sees the element tree of the page being
    converted (a Markdown conversion outside a page, e.g. a summary, is left alone)."""

    def __init__(self, md, feature):
        super().__init__(md)
        self.feature = feature

    def run(self, root: etree.Element) -> None:
        state = self.feature.context.page
        if state is not None:
            self.run_on(root, state)

    def run_on(self, root: etree.Element, state) -> None:
        raise NotImplementedError


class FeatureExtension(Extension):
    """Registers a feature's processors: each `(registry, processor class, name, priority)`,
    the registry being `treeprocessors` or `inlinePatterns`."""

    def __init__(self, feature, *processors):
        super().__init__()
        self.feature = feature
        self.processors = processors

    def extendMarkdown(self, md):
        for registry, processor, name, priority in self.processors:
            getattr(md, registry).register(processor(md, self.feature), name, priority)
