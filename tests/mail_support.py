"""A real SMTP server for the mail tests (tests/smtp_server.py, aiosmtpd, in its own process) and reading
what it received."""

from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from browser_support import free_port

SCRIPT = Path(__file__).resolve().parent / "smtp_server.py"


@dataclass
class Received:
    to: list[str]
    sender: str
    tls: bool
    auth: str | None
    raw: bytes
    msg: EmailMessage

    @property
    def body(self) -> str:
        return self.msg.get_content()


class SmtpServer:
    """aiosmtpd as a child process on a free port; `stop()` and `start()` again on the same port."""

    def __init__(self, folder: Path, *args: str, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.args = args
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(SCRIPT), "--port", str(self.port), "--folder",
                                      str(self.folder), *self.args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if b"ready" not in line:
            raise RuntimeError(f"smtp server did not start: {self.proc.stderr.read().decode(errors='replace')}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def received(self) -> list[Received]:
        out = []
        for meta in sorted(self.folder.glob("*.json")):
            info = json.loads(meta.read_text())
            raw = meta.with_suffix(".eml").read_bytes()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            out.append(Received(info["to"], info["from"], info["tls"], info["auth"], raw, msg))  # type: ignore[arg-type]
        return out

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.received()
            if len(got) >= count:
                return got
            time.sleep(0.2)
        raise AssertionError(f"{count} mail(s) expected, {len(self.received())} arrived")

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received() if address in r.to]
