"""The typed core that every stage shares: records, errors, the plugin registry and settings. No I/O."""
