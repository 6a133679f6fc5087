"""The `vigil` command line: thin adapters over the pipeline and the store (no business logic here)."""
