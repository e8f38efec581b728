"""The service's commands of ``matcher``: ``serve`` and ``users``.

:func:`register` adds them to the library's command; the library finds it through
the ``matcher.commands`` entry point group (``pyproject.toml``), so the library
never imports the service. Nothing here imports the service's own dependencies
until a command runs, and each command first checks that the ``service`` extra
is installed (:func:`matcher.extras.require`), naming it when it is not.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated

import typer

from matcher.cli.shell import err, guarded, out
from matcher.extras import require

__all__ = ["register"]

users = typer.Typer(help="Manage user accounts of the service (first admin included).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``users`` to the ``matcher`` command ``app``."""
    app.command()(serve)
    app.add_typer(users, name="users")


def _require_service(command: str) -> None:
    guarded(lambda: require("service", command))


#: Demo accounts created by ``matcher serve --demo`` (user name, role, scope); password = user name.
DEMO_USERS = (
    ("admin", "admin", {}),
    ("coordinator", "coordinator", {"territories": None}),
    ("leader", "association_leader", {"organization_id": None}),
    ("firm", "lead_firm", {"firm_id": None}),
    ("municipality", "municipality", {"territories": None}),
)


def _settings(database_url: str | None, demo: bool):
    from pydantic import ValidationError

    from matcher_service.settings import Settings

    try:
        kwargs = {"demo": demo} if demo else {}
        if database_url:
            kwargs["database_url"] = database_url
        return Settings(**kwargs)
    except ValidationError as exc:
        messages = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        err.print(f"[red]error:[/] {messages}")
        raise typer.Exit(2) from None


def _sessions(settings):
    from sqlalchemy.orm import sessionmaker

    from matcher_service.db import make_engine, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _is_empty(sessions) -> bool:
    from sqlalchemy import select

    from matcher_service.models import WorkshopRow

    with sessions() as session:
        return session.scalar(select(WorkshopRow.workshop_id).limit(1)) is None


def load_demo(sessions) -> dict:
    """Load the bundled synthetic sample and its demo accounts into an empty database."""
    from sqlalchemy import select

    from matcher.io import load_contacts
    from matcher.sample import SAMPLE_DIR, load_sample
    from matcher_service.dataset import apply_dataset
    from matcher_service.models import User
    from matcher_service.security import hash_password
    from matcher_service.store import audit

    cluster, _source = load_sample()
    contacts = load_contacts(SAMPLE_DIR) if (SAMPLE_DIR / "contacts.csv").exists() else ()
    territories = sorted({w.territory for w in cluster.workshops})
    organizations = sorted({o for w in cluster.workshops for o in w.organizations})
    firms = [f.firm_id for f in cluster.lead_firms]
    scope = {
        "territories": territories[:2],
        "organization_id": organizations[0] if organizations else None,
        "firm_id": firms[0] if firms else None,
    }
    with sessions() as session:
        applied = apply_dataset(session, cluster, contacts)
        for name, role, wanted in DEMO_USERS:
            if session.scalar(select(User).where(User.username == name)) is None:
                values = {k: scope[k] for k in wanted}
                session.add(User(username=name, password_hash=hash_password(name), role=role, **values))
        audit(session, None, "import", "dataset", "sample", applied.to_dict())
        session.commit()
    return {"scope": scope, "applied": applied.to_dict()}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Demo mode: built-in secret, the sample cluster and demo accounts loaded."
        ),
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(help="SQLAlchemy URL (default: MATCHER_DATABASE_URL, else sqlite:///matcher.db)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Server processes sharing the port (one per core).", min=1)
    ] = 1,
) -> None:
    """Start the web service (pages at /ui, API docs at /docs)."""
    _require_service("matcher serve")
    from matcher_service.server import run

    settings = _settings(database_url, demo)
    sessions = _sessions(settings)
    if _is_empty(sessions):
        wanted = demo or (
            sys.stdin.isatty()
            and typer.confirm("The database is empty. Load the synthetic sample cluster?", default=True)
        )
        if wanted:
            loaded = load_demo(sessions)
            out.print(
                "Loaded the synthetic sample cluster. Demo accounts (password = user name): "
                + ", ".join(f"[bold]{n}[/] ({r})" for n, r, _ in DEMO_USERS)
            )
            out.print(f"Demo scopes: {loaded['scope']}")
    hint = " (sign in as coordinator, password coordinator)" if demo else ""
    out.print(
        f"Serving on http://{host}:{port}: pages at http://{host}:{port}/ui{hint}, "
        f"API docs at http://{host}:{port}/docs"
    )
    env = {"MATCHER_DATABASE_URL": settings.database_url}
    if demo:
        env["MATCHER_DEMO"] = "1"
    run(host, port, workers=workers, env=env)


@users.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[
        str, typer.Option(help="admin, coordinator, association_leader, lead_firm or municipality.")
    ] = "admin",
    territory: Annotated[
        list[str] | None, typer.Option("--territory", help="Territory in scope (coordinator, municipality).")
    ] = None,
    organization: Annotated[str | None, typer.Option(help="Organization (association leader).")] = None,
    firm: Annotated[str | None, typer.Option(help="Lead firm id (lead firm).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (default: MATCHER_DATABASE_URL).")
    ] = None,
) -> None:
    """Create a user (the first admin included): ``matcher users add alice --role admin``."""
    _require_service("matcher users add")
    from sqlalchemy import select

    from matcher_service.models import User
    from matcher_service.roles import USER_ROLES
    from matcher_service.security import hash_password
    from matcher_service.users import scope_problems

    if role not in USER_ROLES:
        err.print(f"[red]error:[/] --role must be one of {', '.join(USER_ROLES)}, not {role!r}")
        raise typer.Exit(2)
    territories = list(territory or [])
    problems = scope_problems(role, territories, organization, firm)
    if problems:
        err.print(f"[red]error:[/] {'; '.join(m.text for _field, m in problems)}")
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get("MATCHER_NEW_PASSWORD") or getpass.getpass(f"Password for {username}: ")
    if len(password) < 8:
        err.print("[red]error:[/] the password must have at least 8 characters")
        raise typer.Exit(2)
    settings = _settings(database_url, demo=True)
    sessions = _sessions(settings)
    with sessions() as session:
        if session.scalar(select(User).where(User.username == username)) is not None:
            err.print(f"[red]error:[/] user {username} already exists")
            raise typer.Exit(1)
        session.add(
            User(
                username=username,
                password_hash=hash_password(password),
                role=role,
                territories=territories,
                organization_id=organization,
                firm_id=firm,
            )
        )
        session.commit()
    out.print(f"Created {role} [bold]{username}[/].")
