"""The ``till`` command line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from till.config import Settings, SettingsError, load_settings
from till.core.clock import SystemClock
from till.core.errors import TillError
from till.db import make_engine, make_sessionmaker
from till.logs import configure_logging

app = typer.Typer(help="Till: self-hostable checkout.", no_args_is_help=True)
merchants_app = typer.Typer(help="Merchants and their settings.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(merchants_app, name="merchants")
app.add_typer(keys_app, name="keys")

T = TypeVar("T")
clock = SystemClock()


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(f"till: configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


def run_db(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one session and commit; domain errors become one line."""
    config = settings()
    configure_logging("warning")

    async def main() -> T:
        engine = make_engine(config.database_url)
        try:
            async with make_sessionmaker(engine)() as db:
                result = await work(db)
                await db.commit()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except TillError as exc:
        typer.echo(f"till: {exc.message}", err=True)
        raise typer.Exit(1) from None


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies whose X-Forwarded-For names the buyer's address "
            "(comma-separated IPs or '*'); pay-attempt limits count by it."
        ),
    ] = "127.0.0.1",
) -> None:
    """Start the HTTP server (with the background worker loop inside)."""
    import uvicorn

    config = settings()
    configure_logging(config.log_level, config.log_json)
    uvicorn.run(
        "till.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )


@app.command()
def migrate() -> None:
    """Apply database migrations up to the newest schema."""
    from till.migrate import upgrade

    upgrade(settings().database_url)
    typer.echo("database is at the newest schema")


@merchants_app.command("create")
def merchants_create(
    name: str, country: Annotated[str, typer.Option(help="ISO country")] = "US"
) -> None:
    """Create a merchant and print its id."""
    from till.merchants import service

    merchant = run_db(
        lambda db: service.create_merchant(db, clock, name, country=country.upper())
    )
    typer.echo(merchant.id)


@merchants_app.command("list")
def merchants_list() -> None:
    """List merchants: id, country, name."""
    from till.merchants import service

    for merchant in run_db(service.list_merchants):
        typer.echo(f"{merchant.id}\t{merchant.country}\t{merchant.name}")


@merchants_app.command("set")
def merchants_set(
    merchant: str,
    country: Annotated[str | None, typer.Option(help="ISO country")] = None,
    default_return_url: Annotated[str | None, typer.Option()] = None,
    return_host: Annotated[
        list[str] | None,
        typer.Option(help="Host a link's redirect_url may use; repeat. '' clears."),
    ] = None,
    embed_origin: Annotated[
        list[str] | None,
        typer.Option(help="Origin allowed to embed the checkout; repeat."),
    ] = None,
) -> None:
    """Change a merchant's settings; prints them afterwards."""
    from pydantic import ValidationError

    from till.merchants import service
    from till.merchants.schemas import MerchantUpdate, merchant_out

    raw: dict[str, object] = {
        "country": country,
        "default_return_url": default_return_url,
        "allowed_return_hosts": _list_option(return_host),
        "embed_origins": _list_option(embed_origin),
    }
    try:
        update = MerchantUpdate.model_validate(
            {k: v for k, v in raw.items() if v is not None}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        typer.echo(f"till: {field}: {first['msg']}", err=True)
        raise typer.Exit(1) from None
    changes = update.model_dump(exclude_unset=True)
    updated = run_db(lambda db: service.update_settings(db, merchant, changes))
    typer.echo(merchant_out(updated).model_dump_json(indent=2))


def _list_option(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v for v in values if v]


@keys_app.command("create")
def keys_create(
    merchant: Annotated[str, typer.Option(help="Merchant id (bus_...)")],
    mode: Annotated[str, typer.Option(help="test or live")] = "test",
    name: str = "",
) -> None:
    """Create an API key; prints only the secret, once."""
    from till.merchants import service

    issued = run_db(lambda db: service.create_key(db, clock, merchant, mode, name))
    typer.echo(issued.secret)


@keys_app.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke a key by its id (key_...); it stops working at once."""
    from till.merchants import service

    run_db(lambda db: service.revoke_key(db, clock, key_id))
    typer.echo(f"revoked {key_id}")


@keys_app.command("list")
def keys_list(merchant: Annotated[str, typer.Option()]) -> None:
    """List a merchant's keys: id, mode, prefix, status."""
    from till.merchants import service

    for key in run_db(lambda db: service.list_keys(db, merchant)):
        status = "revoked" if key.revoked_at else "active"
        typer.echo(f"{key.id}\t{key.mode}\t{key.display_prefix}\t{status}")


@app.command()
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Seed only an empty database.")
    ] = False,
    key_file: Path = Path("till.demo-key"),
    login_file: Path = Path("till.demo-login"),
) -> None:
    """Seed a demo merchant, a test key and a few products; print the key."""
    from till.demo import DEMO_LOGIN, seed_demo

    outcome = run_db(lambda db: seed_demo(db, clock, if_empty=if_empty))
    if outcome.secret is not None:
        key_file.write_text(outcome.secret + "\n")
        key_file.chmod(0o600)
    if outcome.login_password is not None:
        login_file.write_text(outcome.login_password + "\n")
        login_file.chmod(0o600)
    secret = key_file.read_text().strip() if key_file.exists() else None
    password = login_file.read_text().strip() if login_file.exists() else None
    typer.echo(f"Demo merchant: {outcome.merchant_id}")
    typer.echo(f"Test API key:  {secret or '(see till keys create)'}")
    typer.echo(f"Server:        {settings().public_url}")
    typer.echo(f"Dashboard:     {settings().public_url}/dashboard")
    typer.echo(f"Sign in as:    {DEMO_LOGIN}")
    typer.echo(f"Password:      {password or '(see till users set-password)'}")


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=500, help="Deliveries in flight at once.")
    ] = 16,
) -> None:
    """Deliver webhooks (and run periodic checks) without serving HTTP."""
    from till.webhooks.runner import run_standalone

    config = settings()
    configure_logging(config.log_level, config.log_json)
    asyncio.run(run_standalone(config, concurrency))


users_app = typer.Typer(help="Dashboard sign-ins.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("create")
def users_create(
    merchant: Annotated[str, typer.Option(help="Merchant id (bus_...)")],
    email: Annotated[str, typer.Option(help="Their sign-in email")],
    password: Annotated[
        str | None, typer.Option(help="At least 10 characters; generated if omitted.")
    ] = None,
) -> None:
    """Create a dashboard user; prints the password when it was generated."""
    from till.dashboard import auth

    chosen = password or auth.generate_password()
    user = run_db(lambda db: auth.create_user(db, clock, merchant, email, chosen))
    typer.echo(f"created {user.id} <{user.email}>")
    if password is None:
        typer.echo(f"password: {chosen}")


@users_app.command("set-password")
def users_set_password(
    email: Annotated[str, typer.Option(help="The user's sign-in email")],
    password: Annotated[
        str | None, typer.Option(help="At least 10 characters; generated if omitted.")
    ] = None,
) -> None:
    """Replace a user's password and lift any lock-out; prints a generated one."""
    from till.dashboard import auth

    chosen = password or auth.generate_password()
    run_db(lambda db: auth.set_password(db, email, chosen))
    typer.echo(f"password changed for {email.strip().lower()}")
    if password is None:
        typer.echo(f"password: {chosen}")


links_app = typer.Typer(help="Payment links and short links.", no_args_is_help=True)
app.add_typer(links_app, name="links")


@links_app.command("show")
def links_show(product_id: str) -> None:
    """Print a product's static link, its QR code URLs and its short links."""
    from till.links.commands import describe_links

    public_url = settings().public_url
    typer.echo(run_db(lambda db: describe_links(db, public_url, product_id)))


@links_app.command("create")
def links_create(
    product_id: str,
    slug: Annotated[str, typer.Option(help="Lowercase letters, digits, dashes.")],
    param: Annotated[
        list[str] | None, typer.Option(help="Saved parameter KEY=VALUE; repeat.")
    ] = None,
    expires_at: Annotated[
        str | None, typer.Option(help="ISO 8601 time; UTC if no zone given.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Completed payments.")] = None,
) -> None:
    """Create a short link /l/SLUG for a product; prints its URL."""
    from till.links.commands import create_link

    public_url = settings().public_url
    url = run_db(
        lambda db: create_link(
            db,
            clock,
            public_url,
            product_id,
            slug,
            param or [],
            expires_at=expires_at,
            completion_limit=limit,
        )
    )
    typer.echo(url)


if __name__ == "__main__":
    app()
