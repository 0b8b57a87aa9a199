#!/usr/bin/python3
"""Pigeon's local test inbox: a real SMTP server (aiosmtpd, from Debian's packages) on loopback
that keeps every message it receives as a .eml file, so a newcomer can send at once and open
what arrived. Nothing leaves the computer.

  test-inbox.py FOLDER PORT_FILE     listens on 127.0.0.1 (a free port, written to PORT_FILE)
                                     and stores messages in FOLDER/new/*.eml"""
import os
import pathlib
import signal
import socket
import sys
import time
import warnings

from aiosmtpd.controller import Controller

warnings.filterwarnings("ignore", message=".*login_data is deprecated.*")


class Inbox:
    def __init__(self, folder):
        self.new = pathlib.Path(folder) / "new"
        self.new.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}.eml"
        temporary = self.new / ("." + name)
        temporary.write_bytes(envelope.original_content)
        temporary.rename(self.new / name)  # whole files only: readers never see half a message
        return "250 2.0.0 Kept in the local test inbox"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    folder, port_file = sys.argv[1], sys.argv[2]
    # Blocked before the server's thread starts, so that only sigwait() below sees them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    port = free_port()
    controller = Controller(Inbox(folder), hostname="127.0.0.1", port=port,
                            server_hostname="test-inbox.localhost")
    controller.start()
    pathlib.Path(port_file + ".tmp").write_text(str(port))
    os.rename(port_file + ".tmp", port_file)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    main()
