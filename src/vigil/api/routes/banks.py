"""Hash banks: `GET|POST /v1/banks`, `PATCH /v1/banks/{name}`, `POST /v1/banks/{name}/entries`,
`POST /v1/banks/lookup`. Thin over `vigil.moderation.banking` (itself thin over `vigil.match`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from vigil.api.auth import AdminKey, ModeratorKey, ReaderKey
from vigil.api.schemas import BankChangeIn, BankEntryIn, BankIn, LookupIn

router = APIRouter(tags=["banks"])


@router.get("/v1/banks", summary="Banks with their labels, state and entry counts")
def list_banks(request: Request, key: ModeratorKey) -> dict[str, Any]:
    return {"banks": request.app.state.banks.list()}


@router.post("/v1/banks", summary="Create a bank", status_code=201)
def create_bank(body: BankIn, request: Request, key: AdminKey) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.banks.create(body.name, body.labels, body.group, body.source,
                                                         body.description, body.negative, body.thresholds)
    return out


@router.patch("/v1/banks/{name}", summary="Enable or disable a bank, change its labels or thresholds")
def change_bank(name: str, body: BankChangeIn, request: Request, key: AdminKey) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.banks.update(name, body.model_dump(exclude_none=True))
    return out


@router.post("/v1/banks/{name}/entries", summary="Add content (hashed here) or a hash to a bank", status_code=201)
def add_entry(name: str, body: BankEntryIn, request: Request, key: AdminKey) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.banks.add(name, body.signal_type, body.value, body.labels, body.note,
                                                      added_by=key.prefix)
    return out


@router.post("/v1/banks/lookup", summary="Look content or a hash up in every enabled bank")
def lookup(body: LookupIn, request: Request, key: ReaderKey) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.banks.lookup(body.signal_type, body.value)
    return out
