#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on loopback for Pigeon's integration tests.

Runs three listeners on 127.0.0.1:
  starttls  STARTTLS required, then AUTH (PLAIN, LOGIN) against the users file
  tls       implicit TLS from the first byte, AUTH against the users file
  plain     no TLS, no AUTH

Every message a listener accepts is saved into that listener's spool directory as
  N.eml   envelope.original_content, exactly the bytes received (dot-unstuffed, CRLF kept)
  N.json  {"mail_from", "rcpt_tos", "mail_options", "rcpt_options", "eml", "listener"}
The .eml is written before the .json, each to a temporary name and then renamed, so a
reader that sees N.json can rely on N.eml being complete.

Run with Debian's /usr/bin/python3 (it is the one that sees python3-aiosmtpd).
"""

import argparse
import itertools
import json
import logging
import os
import signal
import ssl
import sys
import threading
import warnings

# aiosmtpd 1.4 warns on every AUTH about its own use of Session.login_data.
warnings.filterwarnings("ignore", message=".*login_data is deprecated.*")

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

log = logging.getLogger("pigeon-aiosmtpd")


def load_users(path):
    """Reads "user<TAB>password" lines (UTF-8) into {bytes: bytes}."""
    users = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\r\n")
            if not line:
                continue
            user, _, password = line.partition(b"\t")
            users[user] = password
    return users


class Authenticator:
    def __init__(self, users):
        self.users = users

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = self.users.get(auth_data.login) == auth_data.password
        log.info("AUTH %s for %r: %s", mechanism, auth_data.login, "ok" if ok else "rejected")
        return AuthResult(success=ok, handled=False)


def envelope_json(meta):
    """One key per line, each value a one-line JSON literal (ASCII, \\u escapes), so a
    reader without a JSON library (the C test uses g_variant_parse) can take it apart."""
    lines = ["%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in meta.items()]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("ascii")


class SpoolHandler:
    # One counter for all listeners: file names stay unique and show arrival order.
    _counter = itertools.count(1)
    _lock = threading.Lock()

    def __init__(self, name, spool):
        self.name = name
        self.spool = spool

    def _write(self, filename, data):
        tmp = os.path.join(self.spool, "." + filename + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.spool, filename))

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            n = next(self._counter)
        base = "%06d" % n
        self._write(base + ".eml", envelope.original_content)
        meta = {
            "listener": self.name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "rcpt_options": envelope.rcpt_options,
            "eml": base + ".eml",
        }
        self._write(base + ".json", envelope_json(meta))
        log.info("%s: saved %s from %s to %s (%d bytes)", self.name, base,
                 envelope.mail_from, envelope.rcpt_tos, len(envelope.original_content))
        return "250 2.0.0 Ok: saved as %s" % base


def server_tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def make_controllers(args):
    users = load_users(args.users)
    auth = Authenticator(users)
    ctx = server_tls_context(args.cert, args.key)
    common = dict(hostname="127.0.0.1", server_hostname="pigeon-test.localhost",
                  enable_SMTPUTF8=True, data_size_limit=args.size_limit)
    spool = lambda name: SpoolHandler(name, os.path.join(args.spool, name))  # noqa: E731
    return [
        Controller(spool("starttls"), port=args.starttls_port, tls_context=ctx,
                   require_starttls=True, authenticator=auth, auth_require_tls=True,
                   **common),
        # aiosmtpd counts only STARTTLS as TLS: on an implicit-TLS listener it would never
        # offer AUTH unless told not to require TLS for it.
        Controller(spool("tls"), port=args.tls_port, ssl_context=ctx,
                   authenticator=auth, auth_require_tls=False, **common),
        Controller(spool("plain"), port=args.plain_port, **common),
    ]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--starttls-port", type=int, required=True)
    p.add_argument("--tls-port", type=int, required=True)
    p.add_argument("--plain-port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--users", required=True, help="file of user<TAB>password lines")
    p.add_argument("--spool", required=True, help="a directory per listener is made in it")
    p.add_argument("--log-file", required=True)
    p.add_argument("--pid-file", required=True)
    p.add_argument("--ready-file", required=True, help="written once every listener is up")
    p.add_argument("--size-limit", type=int, default=50 * 1024 * 1024)
    return p.parse_args()


def main():
    args = parse_args()
    logging.basicConfig(filename=args.log_file, level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for name in ("starttls", "tls", "plain"):
        os.makedirs(os.path.join(args.spool, name), exist_ok=True)
    with open(args.pid_file, "w") as f:
        f.write("%d\n" % os.getpid())

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    controllers = make_controllers(args)
    started = []
    try:
        for c in controllers:
            c.start()
            started.append(c)
        with open(args.ready_file + ".tmp", "w") as f:
            f.write("ready\n")
        os.rename(args.ready_file + ".tmp", args.ready_file)
        log.info("listening on %d (starttls), %d (tls), %d (plain)",
                 args.starttls_port, args.tls_port, args.plain_port)
        stop.wait()
        log.info("stopping")
    finally:
        for c in reversed(started):
            c.stop()
        try:
            os.unlink(args.pid_file)
        except FileNotFoundError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
