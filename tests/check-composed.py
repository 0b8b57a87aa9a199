#!/usr/bin/python3
"""pigeon-send's composed messages, checked by a MIME parser nobody here wrote: Python's email
package with policy.default. Prints TAP.

  check-composed.py dry-run   the output of --dry-run (suite unit)
  check-composed.py servers   what real Postfix and aiosmtpd received (suite servers; needs
                              PIGEON_TEST_SERVERS from tests/servers/start)

PIGEON_SEND names the pigeon-send binary."""
import configparser
import email
import email.policy
import os
import pathlib
import random
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import zlib

SUBJECT = "照片 📷"
FROM = "Ana Núñez <alice@example.org>"
TO = '"Doe, John" <bob@example.org>, Zhang Wei <zhang@example.net>'
BCC = "hidden@example.com"
ATTACHMENT_NAME = "报告 1.pdf"


def make_png(path, width=40, height=30, seed=1):
    """A real PNG of random pixels, written without any imaging library."""
    rng = random.Random(seed)
    rows = b"".join(b"\0" + bytes(rng.randrange(256) for _ in range(width * 3))
                    for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_fixtures(folder, token):
    files = {
        "a.png": folder / "a.png",
        "b.jpg": folder / "b.jpg",
        ATTACHMENT_NAME: folder / ATTACHMENT_NAME,
    }
    make_png(files["a.png"])
    subprocess.run(["convert", "-size", "64x48", "gradient:red-blue", str(files["b.jpg"])],
                   check=True)
    files[ATTACHMENT_NAME].write_bytes(b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n")
    body = (f"Grüße aus Zürich — {token}\n\n"
            ".a line that starts with a dot\n"
            "From the beach, two photos.\n"
            + "long " * 400 + "\n")
    (folder / "note.txt").write_text(body, encoding="utf-8")
    return files, body


def pigeon_send(args, stdin=None):
    command = [os.environ["PIGEON_SEND"]] + args
    return subprocess.run(command, capture_output=True, timeout=60, input=stdin)


def compose_args(folder):
    return ["--from", FROM, "--to", TO, "--bcc", BCC, "--subject", SUBJECT,
            "--body-file", str(folder / "note.txt"),
            "--inline", str(folder / "a.png"), "--inline", str(folder / "b.jpg"),
            "--attach", str(folder / ATTACHMENT_NAME)]


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, name, function, *args):
        self.count += 1
        try:
            function(*args)
            print(f"ok {self.count} - {name}")
        except Exception:  # a failed check, whatever raised it
            self.failed += 1
            print(f"not ok {self.count} - {name}")
            for line in traceback.format_exc().splitlines():
                print(f"# {line}")
        sys.stdout.flush()

    def finish(self):
        print(f"1..{self.count}")
        return 1 if self.failed else 0


# What a person would check in the message they received -----------------------------------

def parse(data):
    return email.message_from_bytes(data, policy=email.policy.default)


def check_no_defects(message):
    for part in message.walk():
        assert not part.defects, f"{part.get_content_type()}: {part.defects}"


def check_headers(message, raw):
    assert message["Subject"] == SUBJECT, message["Subject"]
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Ana Núñez", "alice@example.org")
    to = [(a.display_name, a.addr_spec) for a in message["To"].addresses]
    assert to == [("Doe, John", "bob@example.org"), ("Zhang Wei", "zhang@example.net")], to
    assert message["Bcc"] is None and BCC.encode() not in raw, "the Bcc recipient is visible"
    assert message["Message-ID"].endswith("@example.org>"), message["Message-ID"]
    assert message["Date"] is not None and message["MIME-Version"] == "1.0"


def structure(part):
    if part.is_multipart():
        return (part.get_content_type(), [structure(p) for p in part.iter_parts()])
    return part.get_content_type()


def check_structure(message):
    expected = ("multipart/mixed", [
        ("multipart/related", [
            ("multipart/alternative", ["text/plain", "text/html"]),
            "image/png", "image/jpeg"]),
        "application/pdf"])
    assert structure(message) == expected, structure(message)


def check_text(message, body):
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content().replace("\r\n", "\n") == body, "the text differs"


def check_images_and_files(message, files):
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    leaves = [p for p in message.walk() if not p.is_multipart()][2:]
    assert [p.get_filename() for p in leaves] == list(files), [p.get_filename() for p in leaves]
    for part, (name, path) in zip(leaves, files.items()):
        assert part.get_content() == path.read_bytes(), f"{name} was damaged"
        if part.get_content_type().startswith("image/"):
            assert part.get_content_disposition() == "inline", name
            cid = part["Content-ID"].strip("<>")
            assert f'src="cid:{cid}"' in html, f"the HTML does not show {name}"
        else:
            assert part.get_content_disposition() == "attachment", name


def check_wire_format(raw):
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"", "the message does not end with CRLF"
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare CR or LF"
    assert max(len(line) for line in lines) <= 998, "a line is longer than 998 octets"
    assert all(byte < 128 for byte in raw), "8-bit bytes in a message that needs none"


def check_message(tap, label, raw, body, files, wire=True):
    message = parse(raw)
    tap.check(f"{label}: no defects in any part", check_no_defects, message)
    tap.check(f"{label}: headers decode to what was typed, no Bcc", check_headers, message, raw)
    tap.check(f"{label}: related+alternative inside mixed", check_structure, message)
    tap.check(f"{label}: the text is intact", check_text, message, body)
    tap.check(f"{label}: images shown by cid, every file intact", check_images_and_files,
              message, files)
    if wire:
        tap.check(f"{label}: CRLF, 7-bit, lines ≤ 998", check_wire_format, raw)


# The two modes ------------------------------------------------------------------------------

def check_refusals(tap, folder):
    def refused(args, culprit):
        result = pigeon_send(["--dry-run", "--from", FROM, "--to", TO, "--body", "hi"] + args)
        stderr = result.stderr.decode()
        assert result.returncode == 65, (result.returncode, stderr)
        assert result.stdout == b"", "something was written despite the error"
        assert culprit in stderr, stderr

    tap.check("a CR/LF in the subject is refused, naming the field", refused,
              ["--subject", "hi\r\nBcc: evil@example.com"], "Subject")
    tap.check("a non-image shown inline is refused, naming the file", refused,
              ["--inline", str(folder / ATTACHMENT_NAME)], ATTACHMENT_NAME)
    tap.check("a malformed address is refused, naming it", refused,
              ["--cc", "bob@@example.org"], "bob@@example.org")


def dry_run(tap, folder, files, body):
    result = pigeon_send(["--dry-run"] + compose_args(folder))
    assert result.returncode == 0, result.stderr.decode()
    check_message(tap, "dry run", result.stdout, body, files)
    check_refusals(tap, folder)


def find_delivered(folder, token, deadline):
    """The copy delivered to a visible recipient: Postfix puts every copy into one Maildir and
    marks the Bcc recipient's own copy "Delivered-To: hidden@…", rightly. Files still being
    written are not looked at: Maildir's tmp/ and aiosmtpd's .tmp names are renamed when whole
    (reading one half-written made this test fail once)."""
    while time.monotonic() < deadline:
        for path in folder.rglob("*"):
            if (path.is_file() and path.suffix not in (".json", ".tmp")
                    and path.parent.name != "tmp"):
                data = path.read_bytes()
                if token.encode() in data and b"Delivered-To: " + BCC.encode() not in data:
                    return data
        time.sleep(0.05)  # polling a mailbox the server writes to, bounded by the deadline
    raise AssertionError(f"nothing arrived in {folder}")


def send_through(servers, group, folder, files, token, tap):
    listener = servers[group]
    args = compose_args(folder) + [
        "--server", f"{listener['host']}:{listener['port']}", "--security", listener["security"],
        "--user", listener["user"], "--password-file", listener["password-file"],
        "--ca-file", listener["ca-file"], "--quiet"]
    result = pigeon_send(args)
    assert result.returncode == 0, result.stderr.decode()
    store = pathlib.Path(listener.get("maildir") or listener["spool-dir"])
    return find_delivered(store, token, time.monotonic() + 15)


ACCOUNT_PATH = "io.github.pigeonmail.Pigeon.Account:/io/github/pigeonmail/Pigeon/accounts/work/"


def configure_account(folder, listener):
    """An account of Pigeon's, written with the gsettings tool into a private keyfile backend,
    as a user's settings would be."""
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=str(folder / "config"))
    path = ACCOUNT_PATH
    settings = [("io.github.pigeonmail.Pigeon", "accounts", "['work']"),
                (path, "display-name", "Ana Núñez"), (path, "address", "alice@example.org"),
                (path, "host", listener["host"]), (path, "port", listener["port"]),
                (path, "security", listener["security"]), (path, "user", listener["user"]),
                (path, "ca-file", listener["ca-file"])]
    for schema, key, value in settings:
        subprocess.run(["gsettings", "set", schema, key, value], env=env, check=True)
    return env


def send_with_account(servers, folder):
    listener = servers["aiosmtpd-starttls"]
    env = configure_account(folder, listener)
    token = uuid.uuid4().hex
    result = subprocess.run([os.environ["PIGEON_SEND"], "--account", "work", "--password-file",
                             listener["password-file"], "--to", "bob@example.org",
                             "--subject", "from the account", "--body", token, "--quiet"],
                            env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    received = parse(find_delivered(pathlib.Path(listener["spool-dir"]), token,
                                    time.monotonic() + 15))
    sender = received["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Ana Núñez", "alice@example.org")
    # The SIZE limit the server declared is kept with the account, for the window's warning.
    kept = subprocess.run(["gsettings", "get", ACCOUNT_PATH, "size-limit"], env=env, check=True,
                          capture_output=True, text=True).stdout.split()
    assert kept == ["uint64", listener["size-limit"]], kept


def through_servers(tap, folder, files, body, token):
    servers = configparser.ConfigParser(interpolation=None)
    if not servers.read(os.environ.get("PIGEON_TEST_SERVERS", "")):
        raise SystemExit("Bail out! PIGEON_TEST_SERVERS is not set: run tests/servers/start DIR")
    for group in ("postfix-submission", "aiosmtpd-starttls"):
        received = {}
        tap.check(f"{group}: sent with STARTTLS + AUTH and delivered",
                  lambda: received.setdefault("raw", send_through(servers, group, folder, files,
                                                                  token, tap)))
        if "raw" in received:
            # Postfix stores messages with LF line endings: only aiosmtpd keeps the wire format.
            check_message(tap, group, received["raw"], body, files,
                          wire=group.startswith("aiosmtpd"))
    tap.check("--account: server, login and sender from the user's settings",
              send_with_account, servers, folder)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "dry-run"
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="pigeon-composed-") as name:
        folder = pathlib.Path(name)
        token = uuid.uuid4().hex
        files, body = make_fixtures(folder, token)
        if mode == "servers":
            through_servers(tap, folder, files, body, token)
        else:
            dry_run(tap, folder, files, body)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
