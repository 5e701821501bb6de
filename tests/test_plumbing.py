"""The one way of each plumbing job (issue 12): the N-Triples escaper, the RDF format table, the
server settings. Each is checked against the outside authority it follows."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from mandategraph.build.ntriples import escape_string, nt_literal, nt_term, parse_nt
from mandategraph.core.formats import FORMATS, by_extension, by_media_type, media_type, suffix
from mandategraph.server.settings import Settings, SettingsError

EVERY_CONTROL_AND_MORE = "".join(chr(c) for c in range(0x250)) + "\u2028\u2029\ufeff\U0001F600"


@pytest.mark.parametrize("text", ["", "plain", 'a"b\\c', "line\nbreak\r\n", "tab\there",
                                  EVERY_CONTROL_AND_MORE])
def test_the_escaper_writes_what_oxigraph_writes(text: str):
    assert f'"{escape_string(text)}"' == str(ox.Literal(text))
    assert nt_term(Literal(text)) == str(ox.Literal(text))
    assert nt_literal(text, "en") == str(ox.Literal(text, language="en"))


def test_escaped_literals_read_back_as_written():
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    nt = f"{nt_term(s)} {nt_term(p)} {nt_literal(EVERY_CONTROL_AND_MORE)} ."
    assert parse_nt(nt) == [(s, p, Literal(EVERY_CONTROL_AND_MORE))]


def test_the_format_table_is_pyoxigraphs():
    for name, fmt in FORMATS.items():
        assert by_media_type(media_type(name)) == name
        assert by_extension(suffix(name)) == name
        assert ox.RdfFormat.from_media_type(media_type(name)) == fmt
    assert by_media_type("text/turtle; charset=utf-8") == "turtle"
    assert by_media_type("text/plain") == "ntriples"
    assert by_media_type("application/x-unknown") is None
    assert by_extension(".owl") is None


def test_settings_read_nothing_unless_loaded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MANDATEGRAPH_SERVER_ROW_CAP", "5")
    monkeypatch.setenv("MANDATEGRAPH_BROWSER_PAGE_CACHE", "0")
    defaults = {name: f.default for name, f in Settings.model_fields.items()}
    assert (Settings().row_cap, Settings().browser_page_cache) == (
        defaults["row_cap"], defaults["browser_page_cache"])
    assert defaults["row_cap"] != 5 and defaults["browser_page_cache"] != 0
    loaded = Settings.load()
    assert (loaded.row_cap, loaded.browser_page_cache) == (5, 0)


@pytest.mark.parametrize("env,where", [
    ({"MANDATEGRAPH_SERVER_TIMEOUT_S": "soon"}, "MANDATEGRAPH_SERVER_TIMEOUT_S"),
    ({"MANDATEGRAPH_BROWSER_NODE_CACHE": "-1"}, "MANDATEGRAPH_BROWSER_NODE_CACHE"),
    ({"MANDATEGRAPH_SERVER_SANDBOX": "perhaps"}, "MANDATEGRAPH_SERVER_SANDBOX"),
])
def test_a_bad_variable_is_named(env: dict[str, str], where: str):
    with pytest.raises(SettingsError, match=f"^{where}: setting '"):
        Settings.load(env=env)


def test_a_bad_file_value_is_named_and_lists_are_read(tmp_path: Path):
    cfg = tmp_path / "server.toml"
    cfg.write_text('cors_origins = ["https://a.example", "https://b.example"]\nworkers = "two"\n')
    with pytest.raises(SettingsError, match="server.toml: setting 'workers'"):
        Settings.load(cfg, env={})
    cfg.write_text('cors_origins = ["https://a.example"]\n')
    s = Settings.load(cfg, env={"MANDATEGRAPH_SERVER_SERVICE_ALLOWLIST": "https://x.example/, https://y.example/s"})
    assert s.cors_origins == ("https://a.example",)
    assert s.service_allowlist == ("https://x.example/", "https://y.example/s")
