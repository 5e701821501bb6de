"""Shared pytest configuration.

Area-specific fixtures live in ``tests/fixtures_<area>.py`` modules listed in
``pytest_plugins`` below (one line each), so engineers working on different areas do not
edit the same fixture code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "seeds" / "000_0394c2032f12c9ec.txt"
CORPUS = DATA / "corpus" / "pdf"

pytest_plugins: list[str] = [
    "fixtures_server",
    "fixtures_scale",
    "fixtures_shapes",
    "fixtures_pages",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/cases/*/expected.trig from the current extractor output.")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    assert SEED.is_file(), f"seed missing: {SEED}"
    return SEED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    assert CORPUS.is_dir() and len(list(CORPUS.glob("*.pdf"))) == 140, f"corpus incomplete: {CORPUS}"
    return CORPUS
