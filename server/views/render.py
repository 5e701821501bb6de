"""Templates: one Jinja2 environment (autoescaping on) over ``server/templates``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from mandategraph import __version__
from mandategraph.core.resources import server_dir

from .env import PageEnv
from .lang import UI_LANGUAGES
from .schema_org import schema_jsonld


@lru_cache(maxsize=1)
def jinja() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(server_dir().joinpath("templates"))),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["ui_languages"] = UI_LANGUAGES
    env.filters["svg"] = lambda markup: Markup(markup)  # only server/svg.py output reaches this
    return env


def render(template: str, penv: PageEnv, request: Any, **context: Any) -> str:
    path = request.url.path
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    return jinja().get_template(template).render(
        env=penv, page_path=path, page_query=query, schema_org=schema_jsonld(penv, request), **context)
