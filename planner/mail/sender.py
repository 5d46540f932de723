"""The sender: `planner serve --smtp-host …` runs it in a thread over the store's outbox.

Every few seconds it queues what time brings (reminders, digests), claims the due rows, and hands each to
the mail server, one recipient a message. A row is marked sent only once the server has accepted it; a
server that cannot be reached, or answers 4xx, leaves the row for a later try, at most 60 s apart during
its first 10 minutes, then less often. An address refused for good (5xx) is logged and marked so; the
other rows go on. A person disabled, without an address, or who chose none since gets nothing.
The password is held in memory only (read from a file by the command) and never logged.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from ..store import Store, connection
from .compose import Envelope, message
from .reminders import queue_due
from .render import notice

log = logging.getLogger("planner.serve.access")

TICK = 2.0  # seconds between looks at the outbox
HOUSEKEEPING = 60.0  # seconds between queueings of reminders and digests
LEASE = 300.0  # seconds a claimed row is this sender's before another may take it
FIRST_MINUTES = 600.0  # during a row's first 10 minutes, tries are at most 60 s apart


def retry_delay(attempts: int, age: float) -> float:
    """Seconds until the next try of a row tried `attempts` times, queued `age` seconds ago."""
    base = 5.0 * 2 ** min(max(attempts - 1, 0), 12)
    if age < FIRST_MINUTES:
        return min(60.0, base)
    return max(300.0, min(1800.0, base))


@dataclass(frozen=True)
class MailServer:
    """How to reach the mail server, and what the mails say they are from and link to."""

    host: str
    port: int
    mail_from: str
    public_url: str
    starttls: bool = False
    user: str = ""
    password: str = ""  # read from --smtp-password-file; never printed or logged
    ca_file: str = ""  # a CA (or the server's own certificate) to trust besides the system's
    timeout: float = 30.0

    def __repr__(self) -> str:  # the password stays out of any repr that reaches a log
        return f"MailServer(host={self.host!r}, port={self.port}, starttls={self.starttls}, user={self.user!r})"

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.mail_from)[1]


class Sender:
    """Sends the outbox of the store at `db` through `server`."""

    def __init__(self, db: Path | str, server: MailServer, worker: str | None = None):
        self.store = Store(db)
        self.server = server
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._housekept = 0.0
        self._domain = self.server.envelope_from.rpartition("@")[2] or "planner.invalid"
        self._release_the_dead()

    def _release_the_dead(self) -> None:
        """A server of this machine that stopped mid-send (killed, or the machine restarted) leaves its rows
        claimed: free them now rather than when the claim runs out, so they are tried again within 60 s."""
        host = socket.gethostname()
        for worker in self.store.claims():
            name, _, rest = worker.partition(":")
            pid = rest.partition(":")[0]
            if name == host and pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
                n = self.store.release_claims(worker)
                log.info("mail: %d mail(s) claimed by a stopped sender will be sent again", n)

    def close(self) -> None:
        self.store.close()

    def housekeeping(self, force: bool = False) -> int:
        """Queue reminders and digests (at most once a minute unless forced)."""
        now = connection.clock()
        if not force and now - self._housekept < HOUSEKEEPING:
            return 0
        self._housekept = now
        return queue_due(self.store)

    def _connect(self) -> smtplib.SMTP:
        s = self.server
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                context = ssl.create_default_context(cafile=s.ca_file or None)
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send_due(self) -> int:
        """Claim the due rows and send them; returns how many the mail server accepted."""
        mails = self.store.claim_mails(self.worker, LEASE)
        ready = []
        for m in mails:
            why = "disabled" if not m.active else "no address" if not m.email else "chose none" \
                if m.notices == "none" else ""
            if why:
                self.store.mark_dropped(m.id, self.worker, why)
                log.info("mail: not sent to %s (%s)", m.user, why)
                continue
            try:
                n = notice(self.store, m, self.server.public_url)
            except Exception as exc:  # a row we cannot read now: left for a later try, the others go on
                self._later(m, f"cannot compose: {type(exc).__name__}")
                continue
            if n is None:
                self.store.mark_dropped(m.id, self.worker, "nothing to tell")
                continue
            ready.append((m, message(n, Envelope(self.store.display_name(m.user), m.email, self.server.mail_from,
                                                 f"<planner.{m.token}@{self._domain}>"))))
        if not ready:
            return 0
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                log.error("mail: the mail server %s:%s refused the sign-in of %s (%s); check --smtp-user and "
                          "--smtp-password-file; %d mail(s) wait", self.server.host, self.server.port,
                          self.server.user, _short(exc), len(ready))
            else:
                log.warning("mail: the mail server %s:%s cannot be reached now (%s); %d mail(s) wait",
                            self.server.host, self.server.port, _short(exc), len(ready))
            for m, _ in ready:
                self._later(m, _short(exc))
            return 0
        sent = 0
        try:
            for i, (m, msg) in enumerate(ready):
                try:
                    smtp.send_message(msg, from_addr=self.server.envelope_from, to_addrs=[m.email])
                except smtplib.SMTPRecipientsRefused as exc:
                    code, answer = next(iter(exc.recipients.values()), (0, b""))
                    text = f"{code} {answer.decode(errors='replace') if isinstance(answer, bytes) else answer}"
                    if 500 <= code < 600:
                        self.store.mark_refused(m.id, self.worker, text)
                        log.warning("mail: the mail server refused the address of %s <%s>: %s", m.user, m.email,
                                    _short(text))
                    else:
                        self._later(m, text)
                    continue
                except smtplib.SMTPDataError as exc:
                    if 500 <= exc.smtp_code < 600:
                        self.store.mark_refused(m.id, self.worker, _short(exc))
                        log.warning("mail: the mail server refused the mail to %s: %s", m.user, _short(exc))
                    else:
                        self._later(m, _short(exc))
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    log.warning("mail: sending stopped (%s); %d mail(s) wait", _short(exc), len(ready) - i)
                    for later, _ in ready[i:]:
                        self._later(later, _short(exc))
                    return sent
                self.store.mark_sent(m.id, self.worker)
                sent += 1
                log.info("mail: sent to %s (%s)", m.user, m.kind)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        return sent

    def _later(self, m, error: str) -> None:
        delay = retry_delay(m.attempts + 1, connection.clock() - m.created_clock)
        self.store.retry_later(m.id, self.worker, connection.clock() + delay, error)

    def run(self, stop: threading.Event, tick: float = TICK) -> None:
        """Until `stop` is set: queue what time brings, send what is due."""
        while not stop.is_set():
            try:
                self.housekeeping()
                self.send_due()
            except Exception:  # the store busy or moved: log it and try again at the next tick
                log.exception("mail: the sender's round failed; trying again")
            stop.wait(tick)


def _short(exc: object) -> str:
    return " ".join(str(exc).split())[:300]


def start(db: Path, server: MailServer) -> tuple[threading.Thread, threading.Event]:
    """The sender in a daemon thread of the serving process; set the event to stop it."""
    stop = threading.Event()
    sender = Sender(db, server)

    def run() -> None:
        try:
            sender.run(stop)
        finally:
            sender.close()

    thread = threading.Thread(target=run, name="planner-mail", daemon=True)
    thread.start()
    log.info("mail: sending through %s:%s%s as %s", server.host, server.port,
             " (STARTTLS)" if server.starttls else "", server.envelope_from)
    return thread, stop
