"""/dumps/: the whole graph as gzip TriG, N-Quads (named graphs and provenance) and Turtle.

Files are written on first use (in a thread; concurrent requests wait for the same run) into
``settings.dumps_dir`` and reused across restarts while the store's fingerprint is unchanged
(mandategraph.export.store_fingerprint). gzip is written with mtime 0, so equal data gives
equal bytes, and the ETag is the file's SHA-256. Conditional GETs (If-None-Match,
If-Modified-Since) get 304.
"""

from __future__ import annotations

import asyncio
import tempfile
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from mandategraph.export import DumpFile, read_manifest, store_fingerprint, write_dump_files

from ..dependencies import ServerState, StateOf, get_state, is_remote, state_router
from ..servicedesc import public_url


def dumps_folder(state: ServerState) -> Path:
    s = state.settings
    if s.dumps_dir:
        return Path(s.dumps_dir)
    if s.store and not is_remote(s.store):
        p = Path(s.store).resolve()
        return p.parent / (p.name + "-dumps")
    tmp = state.cache.get("dumps-tmp")
    if tmp is None:
        tmp = state.cache["dumps-tmp"] = tempfile.mkdtemp(prefix="mandategraph-dumps-")
    return Path(tmp)


async def ensure_dumps(state: ServerState) -> list[DumpFile]:
    """The current dump files, written first if missing or stale."""
    key = ("dumps", state.generation)
    files = state.cache.get(key)
    if files is not None:
        return files
    async with state.dumps_lock:
        files = state.cache.get(key)
        if files is not None:
            return files
        folder = dumps_folder(state)

        def work() -> list[DumpFile]:
            found = read_manifest(folder)
            if found and found[0] == store_fingerprint(state.store):
                return found[1]
            return write_dump_files(state.store, folder)

        files = await asyncio.to_thread(work)
        state.cache[key] = files
        return files


def _file_info(f: DumpFile, base: str) -> dict:
    return {"name": f.name, "url": f"{base}/dumps/{f.name}", "format": f.fmt,
            "media_type": f.media_type, "compression": "gzip", "bytes": f.size,
            "sha256": f.sha256, "modified": formatdate(f.modified, usegmt=True)}


async def dumps_index(request: Request) -> Response:
    state = get_state(request)
    files = await ensure_dumps(state)
    base = public_url(request, state.settings.public_url)
    links = ", ".join(f'<{base}/dumps/{f.name}>; rel="item"; type="{f.media_type}"' for f in files)
    return JSONResponse({"files": [_file_info(f, base) for f in files],
                         "description": f"{base}/.well-known/void"},
                        headers={"Link": links + f', <{base}/.well-known/void>; rel="describedby"'})


async def dumps_index_noslash(request: Request) -> Response:
    return await dumps_index(request)


async def dump_file(name: str, request: Request) -> Response:
    state = get_state(request)
    files = {f.name: f for f in await ensure_dumps(state)}
    f = files.get(name)
    if f is None:
        return PlainTextResponse(f"no dump {name!r}; available: {', '.join(sorted(files))}\n",
                                 status_code=404)
    etag = f'"{f.sha256}"'
    last_modified = formatdate(f.modified, usegmt=True)
    headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "public, max-age=300",
               "Content-Disposition": f'attachment; filename="{f.name}"'}
    inm = request.headers.get("if-none-match")
    if inm is not None:
        if etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
            return Response(status_code=304, headers=headers)
    else:
        ims = request.headers.get("if-modified-since")
        if ims:
            try:
                if int(f.modified) <= parsedate_to_datetime(ims).timestamp():
                    return Response(status_code=304, headers=headers)
            except (TypeError, ValueError):
                pass
    path = dumps_folder(state) / f.name
    return FileResponse(path, media_type="application/gzip", headers=headers)


def dumps_router(state: ServerState | StateOf | None = None) -> APIRouter:
    """/dumps/ (the list) and /dumps/{name} (one gzip file) over ``state`` (see state_router)."""
    router = state_router(state, tags=["Dumps"])
    router.add_api_route("/dumps/", dumps_index, methods=["GET"], summary="List the dump files (JSON)")
    router.add_api_route("/dumps", dumps_index_noslash, methods=["GET"], include_in_schema=False)
    router.add_api_route("/dumps/{name}", dump_file, methods=["GET"], summary="Download one dump file (gzip)")
    router.add_api_route("/dumps/{name}", dump_file, methods=["HEAD"], include_in_schema=False)
    return router
