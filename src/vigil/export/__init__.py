"""Exports for analysts and partners: CSV and JSON items, STIX 2.1 bundles, GraphML networks, and
per-story briefs in HTML and PDF. All read the store; attacker-written text is escaped for the
format it lands in (HTML autoescaping, spreadsheet formula neutralising in CSV)."""
