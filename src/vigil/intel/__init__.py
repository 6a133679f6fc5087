"""Analyst intelligence over stored assessments: stories, profiles, watch rules and alerts,
translation and exports. Everything here reads what the pipeline stored; nothing here decides an
action on an item."""
