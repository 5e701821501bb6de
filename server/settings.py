"""Server settings: one frozen dataclass, read from a TOML file, then environment variables.

Precedence (last wins): defaults < TOML file (``[server]`` table, or top level) <
``MANDATEGRAPH_SERVER_<FIELD>`` environment variables < explicit keyword overrides.
Every field is documented in docs/server.md (a test checks that).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mandategraph.core.namespaces import DEFAULT_BASE

ENV_PREFIX = "MANDATEGRAPH_SERVER_"


class SettingsError(ValueError):
    """A settings file or variable has a bad value."""


@dataclass(frozen=True)
class Settings:
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
    service_allowlist: tuple[str, ...] = ()
    #: Bearer token of the update/ingest route; None = the route is off.
    update_token: str | None = None
    #: Origins allowed by CORS ("*" = any).
    cors_origins: tuple[str, ...] = ("*",)
    #: Query worker processes (each holds a read-only view of the store).
    workers: int = 2
    #: Run query workers in an empty network namespace where the kernel allows it.
    sandbox: bool = True
    #: Folder of the dump files (generated on first use); None = <store>/../dumps or a temp dir.
    dumps_dir: str | None = None
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

    @classmethod
    def load(cls, config_file: str | Path | None = None, env: dict[str, str] | None = None,
             **overrides: Any) -> "Settings":
        """Defaults, then the TOML file, then environment variables, then ``overrides``."""
        values: dict[str, Any] = {}
        if config_file:
            path = Path(config_file)
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as e:
                raise SettingsError(f"{path}: cannot read settings: {e}") from e
            table = data.get("server", data)
            for k, v in table.items():
                values[k] = cls._coerce(k, v, str(path))
        env = os.environ if env is None else env
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = cls._coerce(f.name, raw, ENV_PREFIX + f.name.upper())
        for k, v in overrides.items():
            if v is not None:
                values[k] = cls._coerce(k, v, "argument")
        return cls(**values)

    @classmethod
    def _coerce(cls, name: str, value: Any, where: str) -> Any:
        types = {f.name: f.type for f in fields(cls)}
        if name not in types:
            raise SettingsError(f"{where}: unknown setting {name!r}; expected one of {sorted(types)}")
        t = str(types[name])
        try:
            if "tuple" in t:
                if isinstance(value, str):
                    return tuple(x.strip() for x in value.split(",") if x.strip())
                return tuple(str(x) for x in value)
            if t.startswith("bool"):
                if isinstance(value, bool):
                    return value
                if str(value).lower() in ("1", "true", "yes", "on"):
                    return True
                if str(value).lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError("expected true or false")
            if t.startswith("float"):
                return float(value)
            if t.startswith("int"):
                return int(value)
            if value == "" and "None" in t:
                return None
            return str(value)
        except (TypeError, ValueError) as e:
            raise SettingsError(f"{where}: setting {name!r} has a bad value {value!r}: {e}") from e

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    def service_allowed(self, iri: str) -> bool:
        for allowed in self.service_allowlist:
            if iri == allowed or (allowed.endswith(("/", "#")) and iri.startswith(allowed)):
                return True
        return False


SETTING_NAMES = tuple(f.name for f in fields(Settings))
