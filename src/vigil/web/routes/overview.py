"""`GET /ui/`: the overview (volume over time by label and action, top channels and entities,
alerts, crisis, queue size)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from vigil.intel.overview import overview
from vigil.moderation.sessions import WebSession
from vigil.web.auth import READ, page
from vigil.web.render import render

router = APIRouter()


@router.get("/")
def overview_page(request: Request, session: Annotated[WebSession, Depends(page(*READ))]) -> Response:
    data = overview(request.app.state.web.store)
    return render(request, "overview.html", data=data,
                  channel_rows=[(c["channel"], c["items"], c["harmful"]) for c in data["top_channels"]],
                  entity_rows=[(e["canonical"], e["items"], 0) for e in data["top_entities"]])
