"""Known-content matching: signal types, their indexes, hash banks and the matcher the pipeline calls
before classification (see `vigil.match.matcher`)."""
