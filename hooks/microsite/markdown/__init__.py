"""Our Markdown extension: citations and glossary links on the element tree."""
