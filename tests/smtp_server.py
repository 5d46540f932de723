"""A real SMTP server for the mail tests, run by them as its own process: aiosmtpd keeping each message it
accepts as a file in a folder (`<n>.eml` and, written last, `<n>.json` with the envelope).

    python tests/smtp_server.py --port P --folder DIR [--refuse ADDR ...]
                                [--tls-cert CERT --tls-key KEY --auth-user U --auth-password-file F]

With --tls-cert the server offers STARTTLS and requires it, and with --auth-user it requires AUTH (only
over TLS). Prints "ready" once it accepts connections; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import ssl
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, folder: Path, refuse: set[str]):
        self.folder = folder
        self.refuse = {a.lower() for a in refuse}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        n = time.time_ns()
        (self.folder / f"{n}.eml").write_bytes(envelope.original_content or envelope.content)
        tmp = self.folder / f"{n}.tmp"
        auth = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        tmp.write_text(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                                   "tls": session.ssl is not None, "auth": auth}))
        os.replace(tmp, self.folder / f"{n}.json")
        return "250 Message accepted for delivery"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--folder", required=True)
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth-user")
    p.add_argument("--auth-password-file")
    a = p.parse_args()
    folder = Path(a.folder)
    folder.mkdir(parents=True, exist_ok=True)
    kw: dict = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kw.update(tls_context=ctx, require_starttls=True)
    if a.auth_user:
        password = Path(a.auth_password_file).read_text().strip()

        def check(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.auth_user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kw.update(authenticator=check, auth_required=True, auth_require_tls=True)
    controller = Controller(Keep(folder, set(a.refuse)), hostname="127.0.0.1", port=a.port, **kw)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
