"""Model files: the archive format (JSON description and named arrays, never pickle)."""
