"""Policy: a versioned YAML file maps label scores, bank matches and context to an action per surface."""
