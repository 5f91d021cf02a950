// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// A loopback S3-compatible server for the files tests: npm `s3rver` (objects kept as files
// under DIR/<bucket>/<key>._S3rver_object). s3rver 3.7.1 checks only the access key id
// of a Signature V4 request ("V4 signatures have incomplete support"), so this wrapper
// verifies the signature itself before s3rver sees the request: canonical request, string
// to sign and the derived key as AWS documents them, with s3rver's default credentials
// (access key "S3RVER", secret "S3RVER"). A wrong secret gets 403 SignatureDoesNotMatch.
//
// usage: node --openssl-legacy-provider s3-server.mjs DIR BUCKET [CONTROL_DIR]
// (s3rver encrypts ListObjectsV2 continuation tokens with DES, in OpenSSL 3's legacy
// provider: without the flag a truncated listing answers 500.)
// Prints one JSON line {"port"} once it listens on 127.0.0.1. Virtual-host style requests
// reach BUCKET as <bucket>.s3.localhost:<port> (serviceEndpoint "localhost"). If
// CONTROL_DIR/status holds a number, every request is answered with that status and an S3
// error body (a failing S3: 500, 503). CONTROL_DIR/connections counts the TCP connections
// accepted so far (clients that reuse connections open few).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';

const [dir, bucket, controlDir] = process.argv.slice(2);
if (!dir || !bucket) {
  console.error('usage: node s3-server.mjs DIR BUCKET [CONTROL_DIR]');
  process.exit(2);
}
const SECRET = 'S3RVER';
const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
// RFC 3986 unreserved characters stay, everything else is %XX (upper case), as SigV4 wants.
const uriEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function sigV4Problem(req) {
  const auth = req.headers.authorization;
  if (!auth) return null;   // anonymous: s3rver decides
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'malformed Authorization header';
  const [, , day, region, signedHeaders, signature] = m;
  const amzDate = req.headers['x-amz-date'] || '';
  if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (!payloadHash) return 'no x-amz-content-sha256';
  const url = new URL(req.url, 'http://x');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalPath = url.pathname.split('/').map((seg) => uriEncode(decodeURIComponent(seg))).join('/');
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, canonicalPath, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + SECRET, day), region), 's3'), 'aws4_request');
  const expected = hmac(key, toSign).toString('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) ? null : 'signature mismatch';
}

function s3Error(res, status, code, message) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function forcedStatus() {
  if (!controlDir) return 0;
  try {
    return parseInt(fs.readFileSync(path.join(controlDir, 'status'), 'utf8'), 10) || 0;
  } catch {
    return 0;
  }
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: dir,
  silent: true,
  serviceEndpoint: 'localhost',
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
const s3rverHandler = server.callback();
let connections = 0;
server.httpServer.on('connection', () => {
  connections += 1;
  if (controlDir) fs.writeFileSync(path.join(controlDir, 'connections'), String(connections));
});
server.httpServer.removeAllListeners('request');
server.httpServer.on('request', (req, res) => {
  const status = forcedStatus();
  if (status) {
    req.resume();
    return s3Error(res, status, status === 503 ? 'SlowDown' : 'InternalError', 'forced by the test');
  }
  const problem = sigV4Problem(req);
  if (problem) {
    req.resume();
    return s3Error(res, 403, 'SignatureDoesNotMatch', problem);
  }
  return s3rverHandler(req, res);
});
process.stdout.write(JSON.stringify({ port }) + '\n');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
