"""Generated pages (bibliography, glossary index, downloads) and late-filled sections."""
