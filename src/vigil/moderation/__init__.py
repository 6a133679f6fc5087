"""The moderation service: send-time decisions, account enforcement, review cases and appeals, crisis
mode, flood quarantine, API keys and the hash-chained audit log. The HTTP API (`vigil.api`) and the CLI
are thin adapters over it."""
