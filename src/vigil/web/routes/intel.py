"""Analyst pages: items, entities, actors, outlets, channels, stories, events and the network.

    GET /ui/items/{id}             the item: marked text, glossary notes, scores, matches, decisions
    GET /ui/entities               entities by items mentioning them
    GET /ui/actors/{name}          a person or organisation; /ui/outlets/{name} a media outlet;
    GET /ui/channels/{name}        a channel, with its forwards network          (all: `intel.profiles`)
    GET /ui/stories, /ui/stories/{id}   stories and one story's timeline, items, events, quotes
    GET /ui/events, /ui/events/{id}     events and one event with related events on a timeline
    GET /ui/network?center=NAME    channels and forwards
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from vigil.core.errors import NotFound
from vigil.intel.item_view import item_view
from vigil.intel.network import channel_network
from vigil.intel.overview import buckets
from vigil.intel.profiles import profile
from vigil.moderation.sessions import WebSession
from vigil.store.intel_queries import (
    get_event,
    get_story,
    list_entities,
    list_events,
    list_stories,
    related_events,
)
from vigil.web.auth import READ, page
from vigil.web.render import render

router = APIRouter()
Reader = Annotated[WebSession, Depends(page(*READ))]
MAX_NAME = 300


@router.get("/items/{item_id}")
def item_page(request: Request, item_id: int, session: Reader) -> Response:
    web = request.app.state.web
    view = item_view(web.store, item_id, web.glosses, web.service.policy.label_threshold)
    if view is None:
        raise NotFound("item", item_id)
    return render(request, "item.html", v=view)


@router.get("/entities")
def entities_page(request: Request, session: Reader, kind: str | None = None) -> Response:
    rows = list_entities(request.app.state.web.store, kind=kind or None, limit=300)
    return render(request, "entities.html", entities=rows, kind=kind)


def volume_chart(vol: dict[str, Any]) -> dict[str, Any]:
    """A profile's items per day as chart input: every day of the span, so gaps show (the last 60
    days of a longer span)."""
    days = sorted(vol.get("items") or {})
    if not days:
        return {"buckets": [], "series": {}}
    names = buckets(date.fromisoformat(days[0]), date.fromisoformat(days[-1]), "day")
    series = {"items": [vol["items"].get(d, 0) for d in names]}
    return {"buckets": names, "series": series}


def _profile(request: Request, name: str, kind: str) -> Response:
    store = request.app.state.web.store
    data = profile(store, name[:MAX_NAME], granularity="day")
    for side in ("entity", "channel"):
        if data.get(side):
            data[side]["volume"] = volume_chart(data[side]["volume"])
    net = channel_network(store, center=data["channel"]["name"]) if data.get("channel") else None
    return render(request, "profile.html", p=data, page_kind=kind, net=net)


@router.get("/actors/{name}")
def actor_page(request: Request, name: str, session: Reader) -> Response:
    return _profile(request, name, "actor")


@router.get("/outlets/{name}")
def outlet_page(request: Request, name: str, session: Reader) -> Response:
    return _profile(request, name, "outlet")


@router.get("/channels/{name}")
def channel_page(request: Request, name: str, session: Reader) -> Response:
    return _profile(request, name, "channel")


@router.get("/stories")
def stories_page(request: Request, session: Reader) -> Response:
    return render(request, "stories.html", stories=list_stories(request.app.state.web.store, limit=200))


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: int, session: Reader) -> Response:
    story = get_story(request.app.state.web.store, story_id)
    if story is None:
        raise NotFound("story", story_id)
    return render(request, "story.html", s=story)


@router.get("/events")
def events_page(request: Request, session: Reader, kind: str | None = None) -> Response:
    return render(request, "events.html", events=list_events(request.app.state.web.store, kind=kind or None, limit=500),
                  kind=kind)


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: int, session: Reader) -> Response:
    store = request.app.state.web.store
    event = get_event(store, event_id)
    if event is None:
        raise NotFound("event", event_id)
    related = related_events(store, event)
    rows = [{"date": e["date"], "what": "event", "label": f"{e['type']} {e.get('place') or ''}".strip()} for e in [event, *related]]
    return render(request, "event.html", e=event, related=related, timeline=rows)


@router.get("/network")
def network_page(request: Request, session: Reader, center: str | None = None) -> Response:
    net = channel_network(request.app.state.web.store, center=center[:MAX_NAME] if center else None)
    return render(request, "network.html", net=net, center=center)
