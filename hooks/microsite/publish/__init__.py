"""Publishing: the offline edition (a second build, zipped reproducibly) and PDFs."""
