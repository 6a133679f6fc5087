"""The HTTP API: a thin FastAPI adapter over `vigil.moderation` and the store (`create_app`)."""
