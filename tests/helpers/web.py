"""The dashboard over a TestClient: a real app and store (the phrase classifier of
`tests.helpers.moderation`), one user per role, signed-in clients and the CSRF tokens of their pages."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.helpers.moderation import Api
from vigil.moderation.keys import ROLES
from vigil.moderation.users import create_user
from vigil.store.sql import SqlStore

PASSWORD = "a long test passphrase"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Web(Api):
    def __init__(self, store: SqlStore, **settings_changes: object) -> None:
        super().__init__(store, **settings_changes)
        self.users = {role: create_user(store, f"{role}1", role, PASSWORD) for role in ROLES}
        self.clients: dict[str, TestClient] = {}

    def anonymous(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)

    def login_form(self, client: TestClient) -> str:
        page = client.get("/ui/login")
        match = TOKEN.search(page.text)
        assert match, page.text
        return match.group(1)

    def sign_in(self, role: str, password: str = PASSWORD) -> TestClient:
        client = self.anonymous()
        token = self.login_form(client)
        r = client.post("/ui/login", data={"csrf_token": token, "name": f"{role}1", "password": password, "next": "/ui/"})
        assert r.status_code == 303, r.text
        return client

    def as_role(self, role: str) -> TestClient:
        if role not in self.clients:
            self.clients[role] = self.sign_in(role)
        return self.clients[role]

    @staticmethod
    def csrf(client: TestClient, path: str = "/ui/searches") -> str:
        page = client.get(path)
        match = TOKEN.search(page.text)
        assert match, f"no CSRF token on {path}: {page.status_code}"
        return match.group(1)

    def post_form(self, role: str, path: str, data: dict[str, Any], token_from: str = "/ui/searches", **kw: Any) -> Any:
        client = self.as_role(role)
        return client.post(path, data={"csrf_token": self.csrf(client, token_from), **data}, **kw)
