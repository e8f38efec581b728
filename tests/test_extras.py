"""The optional parts of matcher (matcher.extras) and the commands that need them."""

from __future__ import annotations

from importlib import metadata

import pytest
import typer
from typer.testing import CliRunner

import matcher.cli as cli
import matcher.extras as extras
from matcher.errors import MissingExtraError

REQUIRES = [
    "networkx>=3.2",
    'plotly>=6; extra == "views"',
    'jinja2>=3.1; extra == "views"',
    'matcher[views]; extra == "service"',
    'fastapi>=0.115; extra == "service"',
    'argon2-cffi>=23.1; extra == "service"',
    'pytest>=8; extra == "test"',
]


@pytest.fixture
def without(monkeypatch):
    """Pretend this installation lacks the named distributions."""

    def absent(*names: str) -> None:
        real = metadata.version

        def version(name: str) -> str:
            if name in names:
                raise metadata.PackageNotFoundError(name)
            return real(name) if name != "argon2-cffi" else "23.1"

        monkeypatch.setattr(extras.metadata, "requires", lambda dist: list(REQUIRES))
        monkeypatch.setattr(extras.metadata, "version", version)

    return absent


def test_an_installed_extra_misses_nothing(without):
    without()
    assert extras.missing("views") == []
    assert extras.missing("service") == []
    extras.require("service", "matcher serve")  # no error


def test_missing_packages_are_named_with_those_of_the_extras_an_extra_names(without):
    without("plotly", "fastapi")
    assert extras.missing("views") == ["plotly"]
    assert extras.missing("service") == ["fastapi", "plotly"]  # service names matcher[views]
    assert extras.missing("test") == []


def test_the_error_names_the_extra_and_its_install_command_in_both_languages(without):
    without("fastapi")
    with pytest.raises(MissingExtraError) as caught:
        extras.require("service", "matcher serve")
    assert str(caught.value) == (
        "To use matcher serve, install matcher's service extra (missing: fastapi): "
        "pip install 'matcher[service]'"
    )
    assert caught.value.say("es") == (
        "Para usar matcher serve, instale la parte opcional service de matcher (falta: fastapi): "
        "pip install 'matcher[service]'"
    )


def test_a_source_tree_without_metadata_cannot_tell_and_does_not_refuse(monkeypatch):
    def requires(dist):
        raise metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(extras.metadata, "requires", requires)
    assert extras.missing("service") == []


def test_serve_without_the_service_extra_says_which_extra_to_install(without):
    without("fastapi")
    app = typer.Typer()
    app.command()(lambda: None)  # a group, as the matcher command is
    assert cli.load_plugins(app) == ["service"]
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'matcher[service]'" in result.output
    assert "Traceback" not in result.output


def test_html_without_the_views_extra_is_refused_before_any_work(without, tmp_path):
    without("plotly")
    page = tmp_path / "red.html"
    result = CliRunner().invoke(cli.app, ["analyze", "data/sample", "--html", str(page)])
    assert result.exit_code == 2
    assert "To use --html, install matcher's views extra (missing: plotly)" in result.output
    assert "pip install 'matcher[views]'" in result.output
    assert not page.exists()


def test_the_demo_without_the_views_extra_writes_its_results_and_says_how_to_get_the_page(without, tmp_path):
    without("jinja2")
    result = CliRunner().invoke(cli.app, ["demo", "--out", str(tmp_path / "demo"), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["analysis.json", "match.json"]
    assert "pip install 'matcher[views]'" in result.output


def test_an_entry_point_that_cannot_be_imported_is_left_out(monkeypatch):
    class Broken:
        name = "broken"

        def load(self):
            raise ImportError("No module named 'somewhere'")

    class Fine:
        name = "fine"

        def load(self):
            return lambda app: app.command("hello")(lambda: None)

    monkeypatch.setattr(cli.metadata, "entry_points", lambda group: [Fine(), Broken()])
    app = typer.Typer()
    assert cli.load_plugins(app) == ["fine"]
    assert [c.name for c in app.registered_commands] == ["hello"]
    assert cli.load_plugins(app) == []  # once per app
