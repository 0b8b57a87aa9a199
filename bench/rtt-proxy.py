#!/usr/bin/python3
"""A TCP proxy on loopback that emulates a slow link and counts the round trips a client waited
for. There is no netem on these machines, so latency is made here: every chunk read from either
side is forwarded DELAY ms later (order kept, bandwidth not limited), so one exchange costs
2 × DELAY.

  rtt-proxy.py --upstream HOST:PORT --port-file FILE [--delay-ms 20] [--trace]

--trace prints every chunk on standard error as it arrives at the proxy (ms since accept,
direction, bytes; * marks a client action that ended a turn).

Listens on 127.0.0.1:0 and writes the port chosen to FILE (temporary name, then renamed).
After each connection prints one JSON line on standard output:
  {"turns": N, "wall_ms": …, "client_bytes": …, "server_bytes": …}

A turn is counted when bytes from the server have been handed to the client and the client
then does something (sends bytes, or closes): the client waited for the server. The greeting
counts (the client waits for it before EHLO); the TCP handshake to the proxy does not (it is
answered at once, and every client pays it alike). A client that sends QUIT and closes without
reading the 221 has not waited for it, and that is not counted. Runs until SIGTERM."""
import argparse
import asyncio
import collections
import json
import os
import socket
import sys
import time


class Connection:
    def __init__(self, delay, trace):
        self.delay = delay
        self.trace = trace
        self.started = time.monotonic()
        self.turns = 0
        self.server_data_delivered = False  # since the client's last action
        self.client_bytes = 0
        self.server_bytes = 0

    def client_acted(self):
        waited = self.server_data_delivered
        if waited:
            self.turns += 1
            self.server_data_delivered = False
        return waited

    def log(self, direction, chunk, mark=""):
        if self.trace:
            elapsed = (time.monotonic() - self.started) * 1000
            size = f"{len(chunk)} bytes" if chunk else "EOF"
            print(f"{elapsed:8.1f} ms {direction} {size}{mark}", file=sys.stderr, flush=True)

    async def pump(self, reader, writer, from_client):
        """Forwards reader → writer, each chunk DELAY later; EOF is forwarded the same way."""
        queue = collections.deque()
        ready = asyncio.Event()

        async def read_side():
            while True:
                try:
                    chunk = await reader.read(1 << 16)
                except OSError:
                    chunk = b""
                if from_client:
                    mark = f"   * turn {self.turns}" if self.client_acted() else ""
                    self.log("C→S", chunk, mark)
                    self.client_bytes += len(chunk)
                else:
                    self.log("S→C", chunk)
                    self.server_bytes += len(chunk)
                queue.append((time.monotonic() + self.delay, chunk))
                ready.set()
                if not chunk:
                    return

        async def write_side():
            while True:
                while not queue:
                    ready.clear()
                    await ready.wait()
                due, chunk = queue.popleft()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    if not chunk:
                        if writer.can_write_eof():
                            writer.write_eof()
                        return
                    writer.write(chunk)
                    await writer.drain()
                except OSError:
                    return
                if not from_client:
                    self.server_data_delivered = True

        await asyncio.gather(read_side(), write_side())


def nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--delay-ms", type=float, default=20)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    host, port = args.upstream.rsplit(":", 1)

    async def handle(client_reader, client_writer):
        started = time.monotonic()
        connection = Connection(args.delay_ms / 1000, args.trace)
        server_reader, server_writer = await asyncio.open_connection(host, int(port))
        nodelay(client_writer)
        nodelay(server_writer)
        await asyncio.gather(connection.pump(client_reader, server_writer, True),
                             connection.pump(server_reader, client_writer, False))
        for writer in (client_writer, server_writer):
            writer.close()
        print(json.dumps({"turns": connection.turns,
                          "wall_ms": round((time.monotonic() - started) * 1000, 1),
                          "client_bytes": connection.client_bytes,
                          "server_bytes": connection.server_bytes}), flush=True)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
