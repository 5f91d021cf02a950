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

Status callbacks: when the form has StatusCallback, the provider posts signed status
reports to it after answering, as Twilio does (form MessageSid, MessageStatus, SmsStatus,
AccountSid, From, To, ApiVersion; header X-Twilio-Signature = base64 HMAC-SHA1 with the
password over the URL and the sorted fields, computed here with Python's hmac): "sent" then
"delivered". To ending 0777 gets them out of order: "delivered", then a late "sent" and
"queued". To ending 0999 gets "sent" and "delivered" 2.5 s after its request (after the
sender gave up waiting). Each callback and the daemon's answer is written to OUTDIR as
JSON {"callback": {...}, "status", "answer"}. The daemon sits behind a public URL (the one
in StatusCallback, which is what is signed): when OUTDIR/forward holds a base URL
(http://127.0.0.1:port), callbacks go to that base with StatusCallback's path and query,
as a reverse proxy in front of the daemon would pass them on.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

OUT, CRED = sys.argv[1], sys.argv[2]
TOKEN = CRED.split(':', 1)[1]
counts = {}
lock = threading.Lock()


def write(record):
    with lock:
        name = '%d-cb.json' % time.time_ns()
        with open(os.path.join(OUT, '.' + name), 'w') as f:
            json.dump(record, f)
        os.rename(os.path.join(OUT, '.' + name), os.path.join(OUT, name))


def signature(url, fields):
    data = url + ''.join(k + fields[k] for k in sorted(fields))
    return base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


def callbacks(url, sid, form, statuses, delay):
    time.sleep(delay)
    for status in statuses:
        fields = {'MessageSid': sid, 'MessageStatus': status, 'SmsStatus': status, 'AccountSid': CRED.split(':', 1)[0],
                  'From': form.get('From', ''), 'To': form.get('To', ''), 'ApiVersion': '2010-04-01'}
        target = url
        forward = os.path.join(OUT, 'forward')
        if os.path.exists(forward):
            parts = urlsplit(url)
            with open(forward) as f:
                target = f.read().strip() + parts.path + ('?' + parts.query if parts.query else '')
        req = Request(target, data=urlencode(fields).encode(), method='POST',
                      headers={'Content-Type': 'application/x-www-form-urlencoded',
                               'X-Twilio-Signature': signature(url, fields)})
        try:
            with urlopen(req, timeout=10) as r:
                code, body = r.status, r.read().decode()
        except HTTPError as e:
            code, body = e.code, e.read().decode()
        except OSError as e:
            code, body = 0, str(e)
        write({'callback': fields, 'url': url, 'status': code, 'answer': body})
        time.sleep(0.05)


def schedule(form, sid, to):
    url = form.get('StatusCallback')
    if not url:
        return
    if to.endswith('0777'):
        statuses, delay = ['delivered', 'sent', 'queued'], 0.2
    elif to.endswith('0999'):
        statuses, delay = ['sent', 'delivered'], 2.5
    else:
        statuses, delay = ['sent', 'delivered'], 0.2
    threading.Thread(target=callbacks, args=(url, sid, form, statuses, delay), daemon=True).start()


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
            schedule(form, 'SM%032d' % n, to)
            time.sleep(30)
            return
        if to.endswith('0400'):
            return self.answer(400, {'message': 'unreachable number'})
        if to.endswith('0429') and n == 1:
            return self.answer(429, {'message': 'slow down'})
        self.answer(201, {'sid': 'SM%032d' % n, 'status': 'queued'})
        schedule(form, 'SM%032d' % n, to)

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
