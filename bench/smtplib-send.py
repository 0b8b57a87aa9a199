#!/usr/bin/python3
"""What a Python programmer would write to send a ready-made message with smtplib: STARTTLS,
login, sendmail of the file's bytes, quit. For bench/wire.

  smtplib-send.py PORT CA_FILE USER PASSWORD_FILE FROM TO FILE"""
import smtplib
import ssl
import sys

port, ca_file, user, password_file, sender, recipient, path = sys.argv[1:8]
with open(password_file) as f:
    password = f.readline().rstrip("\n")
with open(path, "rb") as f:
    content = f.read()
context = ssl.create_default_context(cafile=ca_file)
with smtplib.SMTP("127.0.0.1", int(port)) as smtp:
    smtp.starttls(context=context)
    smtp.login(user, password)
    smtp.sendmail(sender, [recipient], content)
