#!/usr/bin/python3
"""The floor for bench/wire: the least an SMTP client must do to send a file's bytes over
STARTTLS. EHLO, STARTTLS, EHLO, AUTH PLAIN with an initial response, MAIL+RCPT+DATA pipelined,
then the file written as it is in 1 MiB writes to Python's ssl (OpenSSL; it cuts them into
full 16 KiB records), then ".", QUIT. It does no dot-stuffing or line-ending work: it refuses a
file that would need it (a line starting with "." or a file not ending in CRLF).

  tls-pump.py PORT CA_FILE FROM TO FILE"""
import base64
import socket
import ssl
import sys

port, ca_file, sender, recipient, path = sys.argv[1:6]


class Replies:
    def __init__(self, sock):
        self.sock = sock
        self.pending = b""

    def read(self, count=1):
        """Reads @count replies; fails on any that is not 2xx/3xx."""
        for _ in range(count):
            while True:
                end = self.pending.find(b"\r\n")
                if end < 0:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        raise SystemExit("tls-pump: the server closed the connection")
                    self.pending += chunk
                    continue
                line, self.pending = self.pending[:end], self.pending[end + 2:]
                if line[:1] not in (b"2", b"3"):
                    raise SystemExit(f"tls-pump: {line.decode(errors='replace')}")
                if line[3:4] != b"-":
                    break


sock = socket.create_connection(("127.0.0.1", int(port)))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
replies = Replies(sock)
replies.read()
sock.sendall(b"EHLO pump\r\n")
replies.read()
sock.sendall(b"STARTTLS\r\n")
replies.read()
context = ssl.create_default_context(cafile=ca_file)
tls = context.wrap_socket(sock, server_hostname="127.0.0.1")
replies = Replies(tls)
tls.sendall(b"EHLO pump\r\n")
replies.read()
tls.sendall(b"AUTH PLAIN " + base64.b64encode(b"\0pump\0pump") + b"\r\n")
replies.read()
tls.sendall(f"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n".encode())
replies.read(3)

buffer = bytearray(1 << 20)
view = memoryview(buffer)
last = b"\r\n"
with open(path, "rb", buffering=0) as f:
    while True:
        n = f.readinto(buffer)
        if not n:
            break
        if (last[-1:] == b"\n" and buffer[:1] == b".") or buffer.find(b"\n.", 0, n) >= 0:
            raise SystemExit("tls-pump: this file needs dot-stuffing")
        tls.sendall(view[:n])
        last = bytes(buffer[max(0, n - 2):n])
if last != b"\r\n":
    raise SystemExit("tls-pump: the file does not end in CRLF")
tls.sendall(b".\r\nQUIT\r\n")
replies.read(2)
tls.close()
