"""Authored content: Markdown documents with front matter, and the rules they follow."""
