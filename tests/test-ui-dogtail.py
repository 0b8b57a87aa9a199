#!/usr/bin/python3
"""The real Pigeon window, driven through AT-SPI as a person would use it: type the recipient,
the subject and the text, attach a file through the Attach button's file chooser, click Send,
and read what a real SMTP server (aiosmtpd, from tests/servers/start) received with Python's
email package. Prints TAP.

Needs a display and a session bus whose accessibility bus can start, in this order:
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- /usr/bin/python3 THIS [PIGEON]
and PIGEON_TEST_SERVERS (tests/servers/start DIR writes DIR/servers.ini).

PIGEON is the window's executable: the first argument, else $PIGEON_UI, else the one in
_build-dt. GSETTINGS_SCHEMA_DIR defaults to the data folder of the same build.

build-aux/screenshots imports this file for its PigeonWindow driver."""
import configparser
import email
import email.policy
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

APP_ID = "io.github.pigeonmail.Pigeon"
ACCOUNT_PATH = "io.github.pigeonmail.Pigeon.Account:/io/github/pigeonmail/Pigeon/accounts/%s/"
SENDER = ("Ana Test", "ana@example.org")
RECIPIENT = "bob@example.net"
ATTACHMENT_NAME = "Report 2026.pdf"
GTK_LOCATION_PAUSE = 0.4  # seconds; see PigeonWindow.attach
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}

# dogtail reads these at import; the bridge must be loaded by every GTK process we start.
os.environ["GTK_MODULES"] = "gail:atk-bridge"
os.environ.pop("NO_AT_BRIDGE", None)


class Timeout(AssertionError):
    pass


def wait_for(what, condition, timeout=20.0, interval=0.05):
    """Polls condition() until it returns something true, for at most timeout seconds.
    Exceptions while polling (a node that went away, a D-Bus hiccup) count as "not yet"."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the tree changes under us while we look
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise Timeout(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


def import_dogtail():
    """dogtail, quiet: its log lines would land among the TAP lines."""
    from dogtail.config import config
    config.logDebugToStdOut = False
    config.logDebugToFile = False
    config.actionDelay = 0.1
    config.defaultDelay = 0.1
    config.typingDelay = 0.02
    config.searchCutoffCount = 1
    from dogtail import predicate, rawinput, tree
    return tree, predicate, rawinput


def find_build_dir():
    here = pathlib.Path(__file__).resolve().parent.parent
    return here / "_build-dt"


def pigeon_executable(argv):
    if len(argv) > 1:
        return pathlib.Path(argv[1]).resolve()
    if os.environ.get("PIGEON_UI"):
        return pathlib.Path(os.environ["PIGEON_UI"])
    return find_build_dir() / "src" / "ui" / "pigeon"


def schema_dir(executable):
    if os.environ.get("GSETTINGS_SCHEMA_DIR"):
        return os.environ["GSETTINGS_SCHEMA_DIR"]
    return str(executable.parent.parent.parent / "data")


def pigeon_environment(folder, schemas):
    """Private settings (keyfile backend), data and cache folders for one pigeon."""
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", GSETTINGS_SCHEMA_DIR=schemas,
               XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"),
               XDG_CACHE_HOME=str(folder / "cache"), GTK_MODULES="gail:atk-bridge",
               GTK_THEME="Adwaita", LC_ALL=os.environ.get("LC_ALL", "C.UTF-8"))
    env.pop("NO_AT_BRIDGE", None)
    # As strict as the other window tests: a critical in pigeon ends it (and fails the test).
    env.setdefault("G_DEBUG", "fatal-criticals")
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        pathlib.Path(env[key]).mkdir(parents=True, exist_ok=True)
    # GTK's own setting: the file chooser opens in the working folder (not "Recent").
    subprocess.run(["gsettings", "set", "org.gtk.Settings.FileChooser", "startup-mode", "cwd"],
                   env=env, check=True)
    return env


def configure_account(env, listener, account="work", display_name=SENDER[0],
                      address=SENDER[1]):
    """Writes an account with the gsettings tool into the private keyfile backend, as a
    user's settings would be."""
    path = ACCOUNT_PATH % account
    settings = [(APP_ID, "accounts", f"['{account}']"), (APP_ID, "default-account", account),
                (path, "display-name", display_name), (path, "address", address),
                (path, "host", listener["host"]), (path, "port", str(listener["port"])),
                (path, "security", listener["security"]),
                (path, "user", listener.get("user", ""))]
    for schema, key, value in settings:
        subprocess.run(["gsettings", "set", schema, key, value], env=env, check=True)


class PigeonWindow:
    """One pigeon process and its window, seen through AT-SPI."""

    def __init__(self, executable, env, log_path, cwd):
        """Starts pigeon in cwd (where the file chooser opens) and waits for its window."""
        self.tree, self.predicate, self.rawinput = import_dogtail()
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen([str(executable)], env=env, cwd=cwd, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            self.app = wait_for("pigeon on the accessibility bus", self._find_app, timeout=30)
            self.window = wait_for("the New Message window", lambda: self._find(
                self.app, "frame", recursive=False), timeout=30)
        except BaseException:
            self.stop()
            raise

    # Finding things ------------------------------------------------------------------------

    def _find_app(self):
        if self.process.poll() is not None:
            raise AssertionError(f"pigeon exited with status {self.process.returncode}")
        for app in self.tree.root.applications():
            try:
                if app.get_process_id() == self.process.pid:
                    return app
            except Exception:  # an application that is going away
                continue
        return None

    def _find(self, parent, role, name=None, recursive=True, showing=True):
        if self.process.poll() is not None:
            raise AssertionError(f"pigeon exited with status {self.process.returncode}")
        pred = self.predicate.GenericPredicate(name=name, roleName=role)
        node = parent.findChild(pred, recursive=recursive, retry=False, requireResult=False,
                                showingOnly=False)
        if node is not None and showing and not node.showing:
            return None
        return node

    def find(self, role, name=None, parent=None, timeout=20.0, showing=True):
        parent = parent or self.window
        return wait_for(f"{role} “{name or '*'}”",
                        lambda: self._find(parent, role, name, showing=showing), timeout)

    def find_matching(self, what, test, parent=None, timeout=20.0):
        parent = parent or self.window

        def look():
            if self.process.poll() is not None:
                raise AssertionError(f"pigeon exited with status {self.process.returncode}")
            return parent.findChild(lambda node: test(node), retry=False, requireResult=False,
                                    showingOnly=False)
        return wait_for(what, look, timeout)

    def dialog(self, name, timeout=20.0):
        """A new top-level window of pigeon's (the file chooser is one)."""
        return wait_for(f"the “{name}” dialog", lambda: next(
            (w for w in self.app.children if w.name == name and w.showing), None), timeout)

    # Acting as a person --------------------------------------------------------------------

    def click(self, node):
        wait_for(f"“{node.name}” to be sensitive and on screen",
                 lambda: node.sensitive and node.showing and node.size[0] > 0)
        node.click()

    def focus_by_click(self, node):
        self.click(node)
        wait_for(f"the keyboard focus in “{node.name}”", lambda: node.focused, timeout=10)

    def type_into(self, node, text):
        """Clicks the field and types text, a line at a time; then waits until the field holds
        exactly what was typed (the toolkit handles key events asynchronously)."""
        self.focus_by_click(node)
        before = node.text or ""
        for i, line in enumerate(text.split("\n")):
            if i:
                self.rawinput.pressKey("Return")
            self.rawinput.typeText(line)
        wait_for(f"“{node.name}” to hold what was typed",
                 lambda: (node.text or "") == before + text, timeout=10)

    def key_combo(self, combo):
        self.rawinput.keyCombo(combo)

    def _key(self, name, kind):
        import pyatspi
        code = self.rawinput.keyNameToKeyCode(name)
        pyatspi.Registry.generateKeyboardEvent(code, None, getattr(pyatspi, "KEY_" + kind))

    def attach(self, paths):
        """The Attach button, then the file chooser: Ctrl+L opens its location entry, the
        file's name is typed there, Return attaches it. The chooser opens in pigeon's working
        folder (GTK's startup-mode setting is "cwd", see start_pigeon), which holds the files.

        Two GTK 3.24 faults are kept out of the way, both Gtk-CRITICALs (fatal under the test
        suite's G_DEBUG) that no person would notice:
        - the release of Ctrl+L reaches the location entry before it is realized: so L is
          held until the entry is on screen and has the focus;
        - typing a path across folders (/tmp/…/x) makes the entry's completion look at a model
          it has already dropped: so only a name in the open folder is typed.
        Non-images are attached with the "All files" filter chosen, as a person would, to see
        them listed."""
        for path in paths:
            self.click(self.find("push button", "Attach"))
            chooser = self.dialog("Attach Files")
            wait_for("the file chooser to be the active window", lambda: chooser.getState()
                     .contains(self._state("active")), timeout=10)
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                # Pigeon's chooser shows "Images" first; GTK ignores the first Return on a
                # typed name the filter hides. A person would pick "All files" to see it.
                self.choose_filter(chooser, "All files")
            self.find_matching(f"“{path.name}” listed in the chooser",
                               lambda n: n.roleName == "table cell" and n.name == path.name,
                               parent=chooser)
            self._key("Control_L", "PRESS")
            self._key("l", "PRESS")
            try:
                entry = wait_for("the file chooser's location entry", lambda: next(
                    (n for n in [self._focused_text(chooser)] if n is not None and n.showing),
                    None), timeout=10)
            finally:
                self._key("l", "RELEASE")
                self._key("Control_L", "RELEASE")
            self.rawinput.typeText(path.name)
            # The entry completes names inline as one types: wait for exactly the name.
            wait_for("the location entry to hold the file's name",
                     lambda: entry.text == path.name, timeout=10)
            # The one fixed pause, a person's pause before Return: GTK 3.24's chooser ignores a
            # Return that comes within its LOCATION_CHANGED_TIMEOUT (150 ms) of the last key
            # for names of non-images (seen 6 times in 6 at 0.1 s, never at 0.2 s), and
            # nothing it does then can be seen through AT-SPI to wait for instead.
            time.sleep(GTK_LOCATION_PAUSE)
            self.rawinput.pressKey("Return")
            wait_for("the file chooser to close", lambda: not any(
                w.name == "Attach Files" and w.showing for w in self.app.children), timeout=10)
            self.attachment_item(path.name)

    def choose_filter(self, chooser, name):
        combo = self.find("combo box", None, parent=chooser)
        self.click(combo)
        item = self.find("menu item", name, parent=combo)
        self.click(item)
        wait_for(f"the chooser's filter to be “{name}”", lambda: combo.name == name, timeout=10)

    def attachment_item(self, name, timeout=20.0):
        area = self.find("panel", "Attachments")
        return self.find_matching(f"“{name}” among the attachments",
                                  lambda n: (n.name or "").startswith(name + ", "),
                                  parent=area, timeout=timeout)

    def _state(self, name):
        import pyatspi
        return getattr(pyatspi, "STATE_" + name.upper())

    def _focused_text(self, parent):
        return parent.findChild(lambda n: n.roleName == "text" and n.focused, retry=False,
                                requireResult=False, showingOnly=False)

    def label_starting(self, prefix, timeout=20.0):
        return self.find_matching(f"a label “{prefix}…”",
                                  lambda n: n.roleName == "label" and n.showing
                                  and (n.name or "").startswith(prefix), timeout=timeout)

    # Ending ---------------------------------------------------------------------------------

    def stop(self):
        """Ends pigeon by its PID, whatever state it is in."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, name, function, *args):
        """Runs one check; returns its result, or None when it failed."""
        self.count += 1
        try:
            result = function(*args)
            print(f"ok {self.count} - {name}")
            return result if result is not None else True
        except Exception:  # a failed check, whatever raised it: print it, dogtail would not
            self.failed += 1
            print(f"not ok {self.count} - {name}")
            for line in traceback.format_exc().splitlines():
                print(f"# {line}")
            return None
        finally:
            sys.stdout.flush()

    def fail(self, name, detail):
        """A failure found outside a check (a step that could not run, an unexpected error)."""
        self.count += 1
        self.failed += 1
        print(f"not ok {self.count} - {name}")
        for line in detail.splitlines():
            print(f"# {line}")
        sys.stdout.flush()

    def finish(self):
        print(f"1..{self.count}")
        return 1 if self.failed else 0


# The test ------------------------------------------------------------------------------------

def read_servers():
    servers = configparser.ConfigParser(interpolation=None)
    name = os.environ.get("PIGEON_TEST_SERVERS", "")
    if not name or not servers.read(name):
        print("Bail out! PIGEON_TEST_SERVERS is not set (or unreadable): run tests/servers/start "
              "DIR and set PIGEON_TEST_SERVERS=DIR/servers.ini")
        sys.exit(1)
    if "aiosmtpd-plain" not in servers:
        print(f"Bail out! {name} has no [aiosmtpd-plain] listener: run tests/servers/start again")
        sys.exit(1)
    return servers


def delivered(spool, token):
    """The .eml whose envelope file is there (aiosmtpd writes the .eml first) and holds token."""
    for meta in sorted(spool.glob("*.json")):
        eml = meta.with_suffix(".eml")
        data = eml.read_bytes()
        if token.encode() in data:
            return data
    return None


def check_message(raw, subject, body, attachment):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        assert not part.defects, f"{part.get_content_type()}: {part.defects}"
    assert message["Subject"] == subject, message["Subject"]
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == SENDER, message["From"]
    assert [a.addr_spec for a in message["To"].addresses] == [RECIPIENT], message["To"]
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    text = plain.get_content().replace("\r\n", "\n").rstrip("\n")
    assert text == body, f"the text differs: {text!r}"
    files = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    assert [p.get_filename() for p in files] == [attachment.name], \
        [p.get_filename() for p in files]
    assert files[0].get_content() == attachment.read_bytes(), "the attached file was damaged"


def pigeon_problems(log_path):
    """Criticals and warnings pigeon printed (GTK's, GLib's or its own)."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return [line for line in text.splitlines() if "-CRITICAL **" in line or "-WARNING **" in line]


def run(tap, executable, folder, servers):
    listener = servers["aiosmtpd-plain"]
    spool = pathlib.Path(listener["spool-dir"])
    token = uuid.uuid4().hex[:12]
    subject = f"Quarterly report {token}"
    body = f"Hello Bob,\n\nthe report is attached ({token}).\n-- Ana"
    files = folder / "files"
    files.mkdir()
    attachment = files / ATTACHMENT_NAME
    attachment.write_bytes(b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n")

    env = pigeon_environment(folder, schema_dir(executable))
    configure_account(env, listener)
    log = folder / "pigeon.log"
    state = {}

    def window_appears():
        state["pigeon"] = PigeonWindow(executable, env, log, cwd=files)
        # With the account read, From is a list of accounts, not "Add an Account…".
        state["pigeon"].find("combo box", "From")

    def type_fields():
        pigeon = state["pigeon"]
        pigeon.type_into(pigeon.find("text", "To"), RECIPIENT)
        pigeon.type_into(pigeon.find("text", "Subject"), subject)
        pigeon.type_into(pigeon.find("text", "Message"), body)
        state["typed"] = True

    def attach():
        state["pigeon"].attach([attachment])
        state["attached"] = True

    def send():
        assert state.get("typed") and state.get("attached"), "the message was not composed"
        pigeon = state["pigeon"]
        send_button = pigeon.find("push button", "Send")
        wait_for("Send to be enabled", lambda: send_button.sensitive, timeout=20)
        pigeon.click(send_button)
        state["raw"] = wait_for(f"the message in {spool}", lambda: delivered(spool, token),
                                timeout=60)

    def window_after_sending():
        assert "raw" in state, "nothing was sent"
        pigeon = state["pigeon"]
        pigeon.label_starting("Message sent to")
        fields = [pigeon.find("text", name) for name in ("To", "Subject", "Message")]
        wait_for("empty fields for the next message",
                 lambda: all((f.text or "") == "" for f in fields), timeout=10)
        pigeon.find("push button", "Drop images or files here")

    def message():
        assert "raw" in state, "nothing arrived"
        check_message(state["raw"], subject, body, attachment)

    def quiet():
        problems = pigeon_problems(log)
        assert not problems, "\n".join(problems)

    steps = [("the window appears, sending from the configured account", window_appears),
             ("To, Subject and Message take what is typed", type_fields),
             ("the Attach button's file chooser attaches the file", attach),
             ("Send delivers the message to the server", send),
             ("the window says it was sent and offers a fresh message", window_after_sending),
             ("the received message has the subject, the text and the file's bytes", message)]
    try:
        for name, function in steps:
            if function is window_appears or "pigeon" in state:
                tap.check(name, function)
            else:
                tap.fail(name, "not tried: the window did not appear")
    finally:
        if "pigeon" in state:
            state["pigeon"].stop()
        tap.check("pigeon printed no criticals or warnings", quiet)
        if tap.failed and log.exists():
            for line in log.read_text(errors="replace").splitlines()[-30:]:
                if line.strip():
                    print(f"# pigeon: {line}")


def main():
    servers = read_servers()
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("Bail out! no display or session bus: run under xvfb-run -a dbus-run-session --")
        return 1
    executable = pigeon_executable(sys.argv)
    if not os.access(executable, os.X_OK):
        print(f"Bail out! {executable} is not an executable: build pigeon first")
        return 1
    tap = Tap()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="pigeon-ui-dogtail-"))
    try:
        run(tap, executable, folder, servers)
    except Exception:  # anything outside a check: report it as a failure, never as a pass
        tap.fail("the test ran to its end", traceback.format_exc())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
