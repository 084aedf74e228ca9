"""Answers remembered per generation: the knowledge base a worker serves changes only when a
rebuild publishes a new generation, so a page built once stays right until then.

The cache sits in front of every route. Each request first asks where ``current`` points; a new
generation empties the cache (the handler, on the library thread, then opens the new generation).
An answer is kept only if the generation did not change while it was being made. Only
whole answers of GET requests with a status in :data:`KEPT` are kept, the most recent :data:`MAX_ENTRIES`, none over
:data:`MAX_BODY` bytes. ``X-Cache: hit|miss`` says which a reply was (the load benchmark counts them).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.web.holder import KnowledgeBaseHolder

MAX_ENTRIES = 2000
KEPT = (200, 301, 303)  # whole pages, and the redirects from a typed citation to its page
MAX_BODY = 2_000_000

Entry = tuple[int, list[tuple[bytes, bytes]], bytes]


class ResponseCache:
    def __init__(self, app: ASGIApp, holder: KnowledgeBaseHolder) -> None:
        self.app = app
        self.holder = holder
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        self.generation: Path | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        generation = self.holder.current_path()
        if generation is None:  # nothing published (a data folder being replaced): answer, keep nothing
            await self.app(scope, receive, send)
            return
        if generation != self.generation:
            self.entries.clear()
            self.generation = generation
        key = scope["raw_path"] + b"?" + scope.get("query_string", b"")
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            status, headers, body = entry
            await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message = dict(message)
                message["headers"] = [*message.get("headers", []), (b"x-cache", b"miss")]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") in KEPT and generation == self.generation:
                    body = b"".join(chunks)
                    if len(body) <= MAX_BODY:
                        self.entries[key] = (start["status"], list(start.get("headers", [])), body)
                        if len(self.entries) > MAX_ENTRIES:
                            self.entries.popitem(last=False)
            await send(message)

        await self.app(scope, receive, capture)
