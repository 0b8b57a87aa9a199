#!/usr/bin/python3
"""The baseline a Python programmer would write: build the message with email.message and send
it with smtplib. Same work as pigeon-send --attach FILE.

  python-email-send.py PORT FILE"""
import email.message
import mimetypes
import smtplib
import sys

port, path = int(sys.argv[1]), sys.argv[2]
message = email.message.EmailMessage()
message["From"] = "alice@example.org"
message["To"] = "bob@example.org"
message["Subject"] = "benchmark"
message.set_content("A big attachment.")
kind = (mimetypes.guess_type(path)[0] or "application/octet-stream").split("/")
with open(path, "rb") as f:
    message.add_attachment(f.read(), maintype=kind[0], subtype=kind[1], filename="big.bin")
with smtplib.SMTP("127.0.0.1", port) as client:
    client.send_message(message)
