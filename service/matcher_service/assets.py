"""Static files of the pages and of the API docs: read and compressed once per process, answered
with an ETag (304 when the client has the file) and gzip when the client takes it."""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response

from matcher import views
from matcher.views.render import ASSETS
from matcher_service.errors import NotFound

__all__ = ["Asset", "asset_response", "page_asset", "read_asset", "warm_assets"]


@dataclass(frozen=True)
class Asset:
    body: bytes
    compressed: bytes
    media_type: str
    etag: str


@functools.cache
def page_asset(name: str) -> Asset:
    """A static file, read and compressed once per process."""
    try:
        return read_asset(views.asset_path(name))
    except (KeyError, ValueError, FileNotFoundError, IsADirectoryError):
        raise NotFound("ui.no_file", name=name) from None


def read_asset(path: Path) -> Asset:
    """A file's bytes, compressed copy, media type and ETag."""
    body = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type in ("application/javascript", "text/javascript", "text/css", "application/json"):
        media_type += "; charset=utf-8"
    return Asset(
        body=body,
        compressed=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=media_type,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    )


def warm_assets() -> None:
    """Read and compress every static file now, so that no page waits for it."""
    for name in ASSETS:
        page_asset(name)


def asset_response(asset: Asset, request: Request) -> Response:
    """A static file's answer: 304 when the client has it, compressed when it takes gzip."""
    headers = {"ETag": asset.etag, "Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            asset.compressed, media_type=asset.media_type, headers={**headers, "Content-Encoding": "gzip"}
        )
    return Response(asset.body, media_type=asset.media_type, headers=headers)
