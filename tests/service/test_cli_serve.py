"""``matcher serve`` and ``matcher users``: settings refused early, first admin, demo data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from matcher.cli import app, load_plugins
from matcher.sample import load_sample
from matcher_service.app import create_app
from matcher_service.cli import DEMO_USERS, _sessions, _settings, load_demo
from matcher_service.models import ContactRow, User, WorkshopRow
from matcher_service.settings import Settings

runner = CliRunner()
load_plugins(app)  # serve and users, as the matcher script adds them


def test_serve_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("MATCHER_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["serve", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "MATCHER_SECRET_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_first_admin(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    args = ["users", "add", "alice", "--role", "admin", "--password-stdin", "--database-url", url]
    result = runner.invoke(app, args, input="a long password\n")
    assert result.exit_code == 0, result.output
    assert "Created admin alice" in result.output
    again = runner.invoke(app, args, input="a long password\n")
    assert again.exit_code == 1 and "already exists" in again.output
    settings = Settings(database_url=url, secret_key="s")
    with TestClient(create_app(settings)) as client:
        token = client.post("/auth/token", data={"username": "alice", "password": "a long password"})
        assert token.status_code == 200
        me = client.get("/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert me.json()["role"] == "admin"


def test_user_scope_is_checked(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    result = runner.invoke(
        app,
        ["users", "add", "bob", "--role", "coordinator", "--password-stdin", "--database-url", url],
        input="a long password\n",
    )
    assert result.exit_code == 2
    assert "needs at least one territory" in result.output
    short = runner.invoke(
        app,
        ["users", "add", "bob", "--role", "admin", "--password-stdin", "--database-url", url],
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 8 characters" in short.output


def test_demo_loads_the_sample_and_accounts(tmp_path):
    settings = _settings(f"sqlite:///{tmp_path / 'demo.db'}", demo=True)
    sessions = _sessions(settings)
    loaded = load_demo(sessions)
    cluster, _ = load_sample()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WorkshopRow)) == len(cluster.workshops)
        assert session.scalar(select(func.count()).select_from(ContactRow)) > 0
        roles = {u.username: u.role for u in session.scalars(select(User))}
    assert roles == {name: role for name, role, _ in DEMO_USERS}
    assert loaded["scope"]["territories"]
    with TestClient(create_app(settings)) as client:
        token = client.post("/auth/token", data={"username": "coordinator", "password": "coordinator"})
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = client.get("/workshops", headers=headers).json()
        assert page["total"] > 0
        assert {w["territory"] for w in page["items"]} <= set(loaded["scope"]["territories"])


@pytest.mark.slow
def test_serve_demo_answers_over_http(tmp_path):
    """``matcher serve --demo`` as a newcomer runs it: sample loaded, sign in, read."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
    command = [
        sys.executable,
        "-c",
        "from matcher.cli import main; main()",
        "serve",
        "--demo",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the demo server did not start"
            time.sleep(0.2)
        token = httpx.post(f"{base}/auth/token", data={"username": "coordinator", "password": "coordinator"})
        assert token.status_code == 200
        page = httpx.get(
            f"{base}/workshops", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
        assert page.status_code == 200 and page.json()["total"] > 0
        assert (tmp_path / "matcher.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
