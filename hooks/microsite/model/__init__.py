"""The model of one build: sources (bib entries), citations and glossary terms."""
