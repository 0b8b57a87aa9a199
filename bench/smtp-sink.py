#!/usr/bin/python3
"""A fast SMTP sink on loopback for benchmarks: plain SMTP with PIPELINING, SIZE and 8BITMIME,
accepts everything and discards the message content (counting it). Not a test server: it
checks nothing.

  smtp-sink.py PORT_FILE   listens on 127.0.0.1:0 and writes the port chosen to PORT_FILE"""
import asyncio
import sys

REPLIES = {
    b"EHLO": b"250-sink\r\n250-PIPELINING\r\n250-SIZE 0\r\n250 8BITMIME\r\n",
    b"HELO": b"250 sink\r\n",
    b"MAIL": b"250 2.1.0 OK\r\n",
    b"RCPT": b"250 2.1.5 OK\r\n",
    b"RSET": b"250 2.0.0 OK\r\n",
    b"NOOP": b"250 2.0.0 OK\r\n",
    b"QUIT": b"221 2.0.0 Bye\r\n",
}


class Connection:
    """The bytes read and not yet used: a client may pipeline QUIT right after the final dot
    (RFC 2920), in the same read as the end of the content."""

    def __init__(self, reader):
        self.reader = reader
        self.buffer = b""

    async def more(self):
        chunk = await self.reader.read(1 << 20)
        self.buffer += chunk
        return bool(chunk)

    async def line(self):
        while b"\n" not in self.buffer:
            if not await self.more():
                return None
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"

    async def discard_content(self):
        """Up to and including the line with the lone dot (the content starts at a line)."""
        self.buffer = b"\r\n" + self.buffer
        while True:
            end = self.buffer.find(b"\r\n.\r\n")
            if end >= 0:
                self.buffer = self.buffer[end + 5:]
                return True
            self.buffer = self.buffer[-4:]
            if not await self.more():
                return False


async def session(reader, writer):
    connection = Connection(reader)
    writer.write(b"220 sink ready\r\n")
    while True:
        line = await connection.line()
        if not line:
            break
        verb = line[:4].upper()
        if verb == b"DATA":
            writer.write(b"354 go ahead\r\n")
            await writer.drain()
            if not await connection.discard_content():
                break
            writer.write(b"250 2.0.0 discarded\r\n")
        else:
            writer.write(REPLIES.get(verb, b"502 5.5.2 not here\r\n"))
        await writer.drain()
        if verb == b"QUIT":
            break
    writer.close()


async def main(port_file):
    server = await asyncio.start_server(session, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    import os
    os.rename(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
