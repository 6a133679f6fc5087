"""Raw clients for remote systems; connectors adapt their output into records."""
