"""`vanban serve`: the web application for archive staff (search, documents, review, uploads)."""

from __future__ import annotations

import argparse
import inspect
import os
import socket
from pathlib import Path

from pipeline.cli.common import add_archive_option, open_for_cli
from pipeline.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the archive to a team in the browser (search, review, uploads, deadlines)",
        description="Serve the archive over HTTP. Binds to 127.0.0.1 unless --host says otherwise (put it "
        "behind an HTTPS proxy for a team, with --secure-cookies). Prints 'serving on http://HOST:PORT' "
        "once it accepts connections. Accounts: vanban users add.",
    )
    add_archive_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s; 0 picks a free one)")
    p.add_argument("--cache", type=Path, help="folder for rendered page images (default: ~/.cache/vanban/pages)")
    p.add_argument("--uploads", type=Path, help="folder that keeps uploaded originals (default: beside the archive)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="page workers for uploaded batches "
                   "(default: %(default)s)")  # fmt: skip
    p.add_argument("--max-upload-mb", type=int, default=200, help="largest file accepted (default: %(default)s MiB)")
    p.add_argument("--processes", type=int, default=1, help="server processes answering requests (default: "
                   "%(default)s; more use more cores; one of them ingests uploads)")  # fmt: skip
    p.add_argument("--secure-cookies", action="store_true", help="mark cookies Secure (the site is served over HTTPS)")
    p.set_defaults(func=run)


def _bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.set_inheritable(True)
    sock.listen(2048)
    return sock


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.settings import Settings
    from pipeline.web.app import WebConfig
    from pipeline.web.server import create_app

    if args.workers < 1 or args.max_upload_mb < 1 or args.processes < 1:
        raise UsageError("--workers, --processes and --max-upload-mb must be at least 1")
    open_for_cli(args.archive).close()  # a mistyped path fails here, before anything is created
    extra = {k: v for k, v in (("cache", args.cache), ("uploads", args.uploads)) if v}
    config = WebConfig.for_archive(
        args.archive,
        settings=Settings(workers=args.workers),
        max_upload_bytes=args.max_upload_mb * 2**20,
        secure_cookies=args.secure_cookies,
        **extra,
    )
    sock = _bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    address = f"serving on http://{f'[{host}]' if ':' in host else host}:{port}"
    if args.processes > 1:
        from uvicorn.supervisors import Multiprocess

        from pipeline.web.server import CONFIG_ENV, config_to_env

        os.environ[CONFIG_ENV] = config_to_env(config)
        create_app(config)  # fails here, once, on an archive it cannot serve
        uv = uvicorn.Config("pipeline.web.server:app_from_env", factory=True, workers=args.processes,
                            log_level="warning", access_log=False)  # fmt: skip
        print(address, flush=True)  # the socket listens: connections wait for the processes
        older = "target" in inspect.signature(Multiprocess).parameters  # older uvicorn took the target
        Multiprocess(uv, sockets=[sock], **({"target": uvicorn.Server(uv).run} if older else {})).run()
        return 0

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started:
                print(address, flush=True)

    server = Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False, lifespan="on"))
    server.run(sockets=[sock])
    return 0 if server.started else 1
