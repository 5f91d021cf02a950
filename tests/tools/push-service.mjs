// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// A loopback web push service (RFC 8030) for the notifications tests, with independent
// implementations of the receiving side: npm `http_ece` decrypts the aes128gcm body
// (RFC 8291) with a user agent key pair made here, npm `jose` verifies the VAPID JWT
// (RFC 8292) against the k= key of the Authorization header.
//
// usage: node push-service.mjs OUTDIR
// Prints one JSON line {"port","p256dh","auth"} once it listens. POST /push/<name>:
// "gone" answers 410, "missing" 404, "busy" 429 to its first request, anything else 201.
// Each request is written to OUTDIR as a JSON file (headers, decrypted text, VAPID result).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import ece from 'http_ece';
import { importJWK, jwtVerify } from 'jose';

const outDir = process.argv[2];
const ua = crypto.createECDH('prime256v1');
ua.generateKeys();
const authSecret = crypto.randomBytes(16);
const seen = new Map();
let counter = 0;

function statusFor(name) {
  const n = (seen.get(name) || 0) + 1;
  seen.set(name, n);
  if (name === 'gone') return 410;
  if (name === 'missing') return 404;
  if (name === 'busy' && n === 1) return 429;
  return 201;
}

async function checkVapid(header, audience) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header || '');
  if (!m) return { valid: false, error: 'no vapid authorization' };
  const raw = Buffer.from(m[2], 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return { valid: false, error: 'bad k' };
  const jwk = { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') };
  try {
    const { payload, protectedHeader } = await jwtVerify(m[1], await importJWK(jwk, 'ES256'), { audience });
    return { valid: protectedHeader.alg === 'ES256', claims: payload, k: m[2] };
  } catch (e) {
    return { valid: false, error: String(e) };
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const name = req.url.replace(/^\/push\//, '');
    const body = Buffer.concat(chunks);
    const record = {
      path: req.url, method: req.method,
      ttl: req.headers.ttl, urgency: req.headers.urgency, topic: req.headers.topic,
      contentEncoding: req.headers['content-encoding'], bodyBytes: body.length,
    };
    try {
      record.plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: ua, authSecret }).toString('utf8');
    } catch (e) {
      record.decryptError = String(e);
    }
    record.vapid = await checkVapid(req.headers.authorization, `http://127.0.0.1:${server.address().port}`);
    record.status = statusFor(name);
    const file = path.join(outDir, `${Date.now()}-${String(++counter).padStart(6, '0')}.json`);
    fs.writeFileSync(file + '.tmp', JSON.stringify(record));
    fs.renameSync(file + '.tmp', file);
    res.writeHead(record.status, { 'Content-Length': 0 });
    res.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({
    port: server.address().port,
    p256dh: ua.getPublicKey().toString('base64url'),
    auth: authSecret.toString('base64url'),
  }) + '\n');
});
