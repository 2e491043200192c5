"""``till links show`` and ``till links create``, run as a user would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.databases import ScratchDatabase
from tests.support.factory import MerchantKit, one_time_product
from tests.test_cli import till
from till.catalog import service as catalog
from till.catalog.schemas import ProductCreate
from till.core.clock import FrozenClock

from .support import unique_slug


async def _product(db: AsyncSession, clock: FrozenClock, kit: MerchantKit) -> str:
    body = ProductCreate.model_validate(one_time_product(name="Credits"))
    product = await catalog.create_product(db, clock, kit.test, body)
    await db.commit()
    return product.id


async def test_create_then_show_lists_the_static_and_short_links(
    database: ScratchDatabase,
    db: AsyncSession,
    clock: FrozenClock,
    merchant: MerchantKit,
    tmp_path: Path,
) -> None:
    pid = await _product(db, clock, merchant)
    slug = unique_slug("cli")
    env = {"TILL_PUBLIC_URL": "https://pay.example.com"}
    created = till(
        database,
        "links",
        "create",
        pid,
        "--slug",
        slug,
        "--param",
        "quantity=2",
        "--param",
        "metadata_campaign=spring",
        "--limit",
        "5",
        cwd=tmp_path,
        **env,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == f"https://pay.example.com/l/{slug}"

    shown = till(database, "links", "show", pid, cwd=tmp_path, **env)
    assert shown.returncode == 0, shown.stderr
    assert f"Static link: https://pay.example.com/buy/{pid}\n" in shown.stdout
    assert f"https://pay.example.com/buy/{pid}/qr.svg" in shown.stdout
    assert (
        f"  https://pay.example.com/l/{slug}  (active; 0 of 5 paid)"
        "  [quantity=2&metadata_campaign=spring]"
    ) in shown.stdout


async def test_cli_errors_are_one_line(
    database: ScratchDatabase,
    db: AsyncSession,
    clock: FrozenClock,
    merchant: MerchantKit,
    tmp_path: Path,
) -> None:
    unknown = till(database, "links", "show", "pdt_missing", cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "till: No product with id 'pdt_missing'."
    pid = await _product(db, clock, merchant)
    bad = till(database, "links", "create", pid, "--slug", "no spaces", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.startswith("till: slug:")
    assert "Traceback" not in bad.stderr
