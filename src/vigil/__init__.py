"""Vigil: keeps terrorist propaganda and calls for violence off a messaging platform, and gives
counter-terrorism analysts one place to monitor, translate, track and analyse what is behind them."""

__version__ = "0.1.0"
