"""The web dashboard: server-rendered pages for moderators, analysts and admins, mounted under /ui
on the API's FastAPI app (`vigil serve`). Thin: pages read through `vigil.moderation`, `vigil.intel`,
`vigil.policy` and the store; presentation (templates, charts as SVG, highlighting) lives here."""
