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


async def discard_content(reader):
    tail = b""
    while True:
        chunk = await reader.read(1 << 20)
        if not chunk:
            return False
        tail = (tail + chunk)[-5:]
        if tail == b"\r\n.\r\n":
            return True


async def session(reader, writer):
    writer.write(b"220 sink ready\r\n")
    while True:
        line = await reader.readline()
        if not line:
            break
        verb = line[:4].upper()
        if verb == b"DATA":
            writer.write(b"354 go ahead\r\n")
            await writer.drain()
            if not await discard_content(reader):
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
