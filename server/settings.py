"""Server settings: one frozen pydantic-settings object, read at start-up and handed down.

Precedence (last wins): defaults < TOML file (``[server]`` table, or top level) <
environment variables (``MANDATEGRAPH_SERVER_<FIELD>``; the browser's cache sizes keep their
``MANDATEGRAPH_BROWSER_*`` names) < explicit keyword overrides. ``Settings(...)`` itself reads
nothing but its arguments; :meth:`Settings.load` reads the file and the environment, once, at
start-up (``mandategraph serve``), and ``create_app`` hands the object down. pydantic checks and
converts every value; a bad one names its file, variable or argument. Every field is
documented in docs/server.md (a test checks that).
"""

from __future__ import annotations

import contextvars
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Mapping

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict,
)

from mandategraph.core.namespaces import DEFAULT_BASE

ENV_PREFIX = "MANDATEGRAPH_SERVER_"
#: (TOML file, environment) that :meth:`Settings.load` reads; unset: only the arguments
_SOURCES: contextvars.ContextVar[tuple[Path | None, Mapping[str, str] | None] | None] = \
    contextvars.ContextVar("mandategraph_settings_sources", default=None)


class SettingsError(ValueError):
    """A settings file or variable has a bad value."""


def _browser(name: str) -> Any:
    """A browser setting: field name, or its environment variable MANDATEGRAPH_BROWSER_<NAME>."""
    return AliasChoices(name, "MANDATEGRAPH_" + name.upper())


Origins = Annotated[tuple[str, ...], NoDecode]  # "a,b" in a variable, a list in TOML


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid",
                                      populate_by_name=True, case_sensitive=False)

    #: Store directory (pyoxigraph on disk); None = an in-memory store given to create_app.
    store: str | None = None
    #: Base of the minted data IRIs; paths under it dereference on this server.
    base_iri: str = DEFAULT_BASE
    #: Public URL of this server (for VoID/DCAT links); None = taken from each request.
    public_url: str | None = None
    #: Wall-clock budget of one query in seconds; a worker over it is killed and replaced.
    timeout_s: float = 10.0
    #: Most result rows (or triples) one response carries; more is cut and signalled.
    row_cap: int = 10_000
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 1_000_000
    #: Longest query text accepted, in characters.
    max_query_length: int = 100_000
    #: SERVICE IRIs (exact, or prefixes ending in '/' or '#') a query may call; empty = none.
    service_allowlist: Origins = ()
    #: Bearer token of the update/ingest route; None = the route is off.
    update_token: str | None = None
    #: Origins allowed by CORS ("*" = any).
    cors_origins: Origins = ("*",)
    #: Query worker processes (each holds a read-only view of the store).
    workers: int = 2
    #: Run query workers in an empty network namespace where the kernel allows it.
    sandbox: bool = True
    #: Folder of the dump files (generated on first use); None = <store>/../dumps or a temp dir.
    dumps_dir: str | None = None
    #: Memory cap of each query worker in MiB (its data segment); a query over it is stopped
    #: with 503 and the worker replaced. 0 = no cap.
    worker_memory_mb: int = 2048
    #: Long-running queries (over 0.5 s in a worker) one client (IP address) may have at once; one more
    #: is stopped with 429, so one client never holds every worker. 0 = workers - 1.
    client_concurrency: int = 0
    #: Longest value of a URL parameter of the named queries and pages, in characters.
    max_param_length: int = 1024
    #: Seconds an idle HTTP connection is kept open (between requests, or before its first).
    idle_timeout_s: float = 5.0
    #: Build the whole-store SHACL report and one round of each kind of page before reporting
    #: ready (server/prime.py; ``serve --prime``, on there; off for apps made in code).
    prime: bool = False
    #: Licence IRI announced in VoID/DCAT.
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    #: Dataset title in VoID/DCAT and the service description.
    title: str = "mandategraph: United Nations documents, instruments and mandates"
    #: Name of the publisher (dct:publisher, a foaf:Agent) of the DCAT catalogue and dataset.
    publisher_name: str = "mandategraph"
    #: IRI of the publisher; None = <base_iri>/publisher.
    publisher_iri: str | None = None
    #: Home page of the publisher (foaf:homepage); None = not stated.
    publisher_homepage: str | None = None
    #: Whole pages the browser keeps (0 = no page cache).
    browser_page_cache: int = Field(256, ge=0, validation_alias=_browser("browser_page_cache"))
    #: Bytes of whole pages the browser keeps at most.
    browser_page_cache_bytes: int = Field(4 << 20, ge=0, validation_alias=_browser("browser_page_cache_bytes"))
    #: Nodes whose statements and provenance rows the browser keeps.
    browser_node_cache: int = Field(512, ge=0, validation_alias=_browser("browser_node_cache"))
    #: IRIs whose label facts the browser keeps.
    browser_label_cache: int = Field(4096, ge=0, validation_alias=_browser("browser_label_cache"))
    #: Pages built at once (threads); 0 = the default, 4.
    browser_builders: int = Field(4, ge=0, validation_alias=_browser("browser_builders"))

    @field_validator("service_allowlist", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value

    @field_validator("store", "public_url", "update_token", "dumps_dir", "publisher_iri", "publisher_homepage",
                     mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = _SOURCES.get()
        if sources is None:  # Settings(...): the arguments only
            return (init_settings,)
        config_file, env = sources
        env_source = env_settings if env is None else _MappingEnv(settings_cls, env)
        return (init_settings, env_source, *((_TomlTable(settings_cls, config_file),) if config_file else ()))

    @classmethod
    def load(cls, config_file: str | Path | None = None, env: Mapping[str, str] | None = None,
             **overrides: Any) -> "Settings":
        """Defaults, then the TOML file, then environment variables (``env``, default
        ``os.environ``), then ``overrides`` (None values are ignored)."""
        path = Path(config_file) if config_file else None
        given = {k: v for k, v in overrides.items() if v is not None}
        token = _SOURCES.set((path, env))
        try:
            return cls(**given)
        except ValidationError as e:
            raise SettingsError(_explain(e, given, os.environ if env is None else env, path)) from None
        finally:
            _SOURCES.reset(token)

    def with_(self, **changes: Any) -> "Settings":
        return self.model_copy(update=changes)

    def service_allowed(self, iri: str) -> bool:
        for allowed in self.service_allowlist:
            if iri == allowed or (allowed.endswith(("/", "#")) and iri.startswith(allowed)):
                return True
        return False

    @property
    def per_client(self) -> int:
        """Long-running queries one client may have at once (at least 1)."""
        return self.client_concurrency or max(1, self.workers - 1)


SETTING_NAMES = tuple(Settings.model_fields)


def _env_names(name: str) -> list[str]:
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        return [c for c in alias.choices if isinstance(c, str) and c.isupper()]
    return [ENV_PREFIX + name.upper()]


class _MappingEnv(EnvSettingsSource):
    """The environment source over a given mapping instead of ``os.environ`` (tests, tools)."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]):
        self._given = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v for k, v in self._given.items()}


class _TomlTable(PydanticBaseSettingsSource):
    """The ``[server]`` table of a TOML file (or its top level)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path):
        super().__init__(settings_cls)
        self.path = path
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise SettingsError(f"{path}: cannot read settings: {e}") from e
        self.values: dict[str, Any] = data.get("server", data)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.values)


def _explain(e: ValidationError, given: Mapping[str, Any], env: Mapping[str, str], path: Path | None) -> str:
    """The first error, with where its value came from (argument, variable or file)."""
    err = e.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else "?"
    if err["type"] == "extra_forbidden":
        where = "argument" if name in given else str(path)
        return f"{where}: unknown setting {name!r}; expected one of {sorted(SETTING_NAMES)}"
    env_hit = next((v for v in _env_names(name) if v in env), None) if name in SETTING_NAMES else None
    where = "argument" if name in given else env_hit or str(path)
    return f"{where}: setting {name!r} has a bad value {err.get('input')!r}: {err['msg']}"
