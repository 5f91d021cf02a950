#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
"""A loopback SMS provider (Twilio-style form POST) for the notifications tests.

usage: sms-provider.py OUTDIR USER:PASSWORD

Prints "PORT <n>" once it listens. POST with basic auth and a form (To, From, Body):
checks the credentials (401 otherwise) and the form (400 without To/Body), writes the
request to OUTDIR as JSON and answers 201 {"sid", "status": "queued"}. By the last four
digits of To: 0429 answers 429 to its first message; 0400 answers 400; 0999 reads the
request, then never answers (a timeout after accepting).
"""
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

OUT, CRED = sys.argv[1], sys.argv[2]
counts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0))).decode()
        form = {k: v[0] for k, v in parse_qs(body).items()}
        auth = self.headers.get('Authorization', '')
        ok_auth = auth == 'Basic ' + base64.b64encode(CRED.encode()).decode()
        to = form.get('To', '')
        with lock:
            counts[to] = counts.get(to, 0) + 1
            n = counts[to]
            record = {'path': self.path, 'form': form, 'authOk': ok_auth,
                      'idempotencyKey': self.headers.get('Idempotency-Key'),
                      'contentType': self.headers.get('Content-Type'), 'n': n}
            name = '%d-%06d.json' % (time.time_ns(), sum(counts.values()))
            with open(os.path.join(OUT, '.' + name), 'w') as f:
                json.dump(record, f)
            os.rename(os.path.join(OUT, '.' + name), os.path.join(OUT, name))
        if not ok_auth:
            return self.answer(401, {'message': 'bad credentials'})
        if not to or not form.get('Body'):
            return self.answer(400, {'message': 'To and Body are required'})
        if to.endswith('0999'):
            time.sleep(30)
            return
        if to.endswith('0400'):
            return self.answer(400, {'message': 'unreachable number'})
        if to.endswith('0429') and n == 1:
            return self.answer(429, {'message': 'slow down'})
        self.answer(201, {'sid': 'SM%032d' % n, 'status': 'queued'})

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('PORT %d' % server.server_address[1], flush=True)
server.serve_forever()
