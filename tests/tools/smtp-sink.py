#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
"""A real SMTP server for the notifications tests (Debian's python3-aiosmtpd) on loopback.

usage: smtp-sink.py OUTDIR [--starttls CERT KEY | --tls CERT KEY] [--auth USER:PASS] [--tempfail N] [--reject ADDR] [--delay MS]

Prints "PORT <n>" once it listens. Every accepted message is parsed with Python's own
email package (an independent MIME reader) and written to OUTDIR as one JSON file:
envelope, headers, the decoded text/plain and text/html parts, whether the session was
TLS and authenticated. --tempfail N answers 451 to the first N messages; --reject ADDR
answers 550 to that recipient; --delay MS waits that long before accepting each message
(a slow server, so that a test can kill the sender mid-queue). --starttls offers STARTTLS
and refuses mail (and AUTH) before it; --tls is implicit TLS (smtps: TLS from the first
byte). With either, AUTH is only offered over TLS.
"""
import argparse
import asyncio
import email
import json
import os
import socket
import ssl
import sys
import time
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out, tempfail, reject, delay, implicit):
        self.out, self.tempfail, self.reject, self.delay, self.n = out, tempfail, reject, delay, 0
        self.implicit = implicit

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address == self.reject:
            return '550 5.1.1 No such user here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return '451 4.3.0 Try again later'
        if self.delay:
            await asyncio.sleep(self.delay / 1000)
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        parts = {}
        for part in msg.walk():
            if not part.is_multipart() and part.get_content_type() in ('text/plain', 'text/html'):
                parts[part.get_content_type()] = part.get_content()
        record = {
            'mailFrom': envelope.mail_from, 'rcptTo': envelope.rcpt_tos,
            'headers': {k: str(v) for k, v in msg.items()},
            'contentType': msg.get_content_type(),
            'text': parts.get('text/plain'), 'html': parts.get('text/html'),
            'tls': session.ssl is not None or self.implicit, 'authenticated': bool(session.authenticated),
        }
        self.n += 1
        name = '%d-%06d.json' % (time.time_ns(), self.n)
        tmp = os.path.join(self.out, '.' + name)
        with open(tmp, 'w') as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.out, name))
        return '250 OK'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--starttls', nargs=2, metavar=('CERT', 'KEY'))
    ap.add_argument('--tls', nargs=2, metavar=('CERT', 'KEY'))
    ap.add_argument('--auth')
    ap.add_argument('--tempfail', type=int, default=0)
    ap.add_argument('--reject')
    ap.add_argument('--delay', type=int, default=0)
    a = ap.parse_args()
    kwargs = {}
    if a.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*a.starttls)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*a.tls)
        kwargs.update(ssl_context=ctx)
    if a.auth:
        user, password = a.auth.split(':', 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok)
        # Implicit TLS: the whole session is TLS (aiosmtpd only knows STARTTLS as "TLS").
        kwargs.update(authenticator=authenticator, auth_require_tls=bool(a.starttls))
    port = free_port()
    controller = Controller(Handler(a.out, a.tempfail, a.reject, a.delay, bool(a.tls)), hostname='127.0.0.1', port=port,
                            **kwargs)
    controller.start()
    print('PORT %d' % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == '__main__':
    sys.exit(main())
