"""Connectors: read an outside source and yield `RawItem`s with a stable ``(source, source_id)``."""
