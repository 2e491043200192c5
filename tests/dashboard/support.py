"""Drive the dashboard in-process as a browser would: cookies, forms, CSRF."""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.dashboard import auth

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class DashUser:
    merchant_id: str
    email: str
    password: str = PASSWORD


async def make_user(db: AsyncSession, clock: Clock, merchant_id: str) -> DashUser:
    email = f"owner-{secrets.token_hex(4)}@example.com"
    await auth.create_user(db, clock, merchant_id, email, PASSWORD)
    await db.commit()
    return DashUser(merchant_id=merchant_id, email=email)


def csrf_of(page: Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, "the page has no CSRF field"
    return html.unescape(found.group(1))


class Dashboard:
    """A signed-in browser session against the in-process app."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.csrf = ""

    async def sign_in(self, user: DashUser) -> Response:
        reply = await self.submit_sign_in(user.email, user.password)
        assert reply.status_code == 303, reply.text
        self.csrf = csrf_of(await self.client.get("/dashboard"))
        return reply

    async def submit_sign_in(self, email: str, password: str) -> Response:
        form = await self.client.get("/dashboard/sign-in")
        data = {"email": email, "password": password, "csrf": csrf_of(form)}
        return await self.client.post("/dashboard/sign-in", data=data)

    async def get(self, path: str) -> Response:
        return await self.client.get(path)

    async def post(self, path: str, data: dict[str, str] | None = None) -> Response:
        return await self.client.post(path, data={**(data or {}), "csrf": self.csrf})

    async def switch_mode(self, mode: str) -> None:
        reply = await self.post("/dashboard/mode", {"mode": mode})
        assert reply.status_code == 303
