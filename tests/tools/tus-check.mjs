// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// BASE=http://127.0.0.1:port TOKEN_A=... TOKEN_B=... node tus-check.mjs
//
// The files plugin's tus 1.0 endpoint (/v1/files/tus) driven by the real tus-js-client
// (tests/plugins/files/tst_filestus runs it against a real daemon): a complete upload, an
// upload aborted mid-way and resumed from its stored URL, checksums (sha1, sha256, a
// mismatch), a wrong offset, termination, and another user's 404. Each case prints
// "ok - <name>" or "not ok - <name>: <why>"; then "<n> passed, <m> failed"; exit 1 on any
// failure.
import { createHash, randomBytes } from 'node:crypto';
import tus from 'tus-js-client';

const { Upload } = tus;
const BASE = process.env.BASE;
const A = process.env.TOKEN_A;
const B = process.env.TOKEN_B;
const ENDPOINT = `${BASE}/v1/files/tus`;
const auth = (token) => ({ Authorization: `Bearer ${token}` });

let passed = 0;
let failed = 0;
const check = (cond, message) => { if (!cond) throw new Error(message); };

async function run(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

// Text (sniffed text/plain, an attachment, stored byte for byte): a line per 64 bytes.
function textFile(bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = `${randomBytes(31).toString('hex')}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function options(token, extra = {}) {
  return {
    endpoint: ENDPOINT,
    headers: auth(token),
    retryDelays: null,
    metadata: { filename: 'notes.txt', purpose: 'attachment' },
    ...extra,
  };
}

/// Runs an upload to its end: resolves with the last response, rejects with the error.
function finish(upload) {
  return new Promise((resolve, reject) => {
    upload.options.onSuccess = (payload) => resolve(payload.lastResponse);
    upload.options.onError = reject;
    upload.start();
  });
}

async function head(url, token) {
  const r = await fetch(url, { method: 'HEAD', headers: { ...auth(token), 'Tus-Resumable': '1.0.0' } });
  return r;
}

async function content(fileId, token) {
  const r = await fetch(`${BASE}/v1/files/${fileId}/content`, { headers: auth(token) });
  check(r.status === 200, `content: status ${r.status}`);
  return Buffer.from(await r.arrayBuffer());
}

await run('complete upload', async () => {
  const data = textFile(300 * 1024);
  const upload = new Upload(data, options(A));
  const last = await finish(upload);
  const fileId = last.getHeader('Upload-File-Id');
  check(/^[0-9]+$/.test(fileId ?? ''), `no Upload-File-Id on the last PATCH (${fileId})`);
  check(sha256(await content(fileId, A)) === sha256(data), 'stored content differs');
  const meta = await (await fetch(`${BASE}/v1/files/${fileId}`, { headers: auth(A) })).json();
  check(meta.name === 'notes.txt' && meta.mediaType === 'text/plain' && meta.sha256 === sha256(data),
        `metadata ${JSON.stringify(meta)}`);
  const h = await head(upload.url, A);
  check(h.status === 200 && h.headers.get('upload-file-id') === fileId, `HEAD after completion: ${h.status}`);
  check(h.headers.get('upload-offset') === String(data.length), 'HEAD offset after completion');
});

await run('interrupted upload resumed from its stored URL', async () => {
  const chunkSize = 256 * 1024;
  const data = textFile(2 * 1024 * 1024 + 1234);
  const first = new Upload(data, options(A, { chunkSize }));
  // Abort mid-way: the connection of the PATCH in flight is destroyed.
  await new Promise((resolve, reject) => {
    first.options.onProgress = (sent) => {
      if (sent > data.length * 0.4 && first.url) {
        first.options.onProgress = null;
        first.abort(false).then(resolve, reject);
      }
    };
    first.options.onError = reject;
    first.options.onSuccess = () => reject(new Error('finished before it could be interrupted'));
    first.start();
  });
  const url = first.url;
  check(url && url.startsWith(ENDPOINT + '/'), `upload URL ${url}`);
  await new Promise((r) => setTimeout(r, 300));   // the server notices the closed connection
  const h = await head(url, A);
  const offset = Number(h.headers.get('upload-offset'));
  check(h.status === 200 && h.headers.get('cache-control') === 'no-store', `HEAD ${h.status}`);
  // Only complete PATCHes count (docs/adr/0029): the offset is a chunk boundary.
  check(offset > 0 && offset < data.length && offset % chunkSize === 0, `offset after the interruption: ${offset}`);
  let resumedAt = -1;
  const second = new Upload(data, options(A, {
    chunkSize,
    uploadUrl: url,
    onAfterResponse: (req, res) => {
      if (req.getMethod() === 'HEAD') resumedAt = Number(res.getHeader('Upload-Offset'));
    },
  }));
  const last = await finish(second);
  check(resumedAt === offset, `resumed at ${resumedAt}, HEAD said ${offset}`);
  check(second.url === url, 'the resumed upload created a new one');
  const fileId = last.getHeader('Upload-File-Id');
  check(sha256(await content(fileId, A)) === sha256(data), 'SHA-256 of the stored file differs from the source');
});

for (const algorithm of ['sha1', 'sha256']) {
  await run(`Upload-Checksum ${algorithm}`, async () => {
    const data = textFile(100 * 1024 + 7);
    const digest = createHash(algorithm).update(data).digest('base64');
    const last = await finish(new Upload(data, options(A, {
      onBeforeRequest: (req) => { if (req.getMethod() === 'PATCH') req.setHeader('Upload-Checksum', `${algorithm} ${digest}`); },
    })));
    check(/^[0-9]+$/.test(last.getHeader('Upload-File-Id') ?? ''), 'no file id');
  });
}

await run('checksum mismatch: 460, chunk discarded', async () => {
  const data = textFile(50 * 1024);
  const wrong = createHash('sha1').update('something else').digest('base64');
  const upload = new Upload(data, options(A, {
    onBeforeRequest: (req) => { if (req.getMethod() === 'PATCH') req.setHeader('Upload-Checksum', `sha1 ${wrong}`); },
  }));
  const err = await finish(upload).then(() => null, (e) => e);
  check(err && err.originalResponse && err.originalResponse.getStatus() === 460, `expected 460, got ${err}`);
  const h = await head(upload.url, A);
  check(h.status === 200 && h.headers.get('upload-offset') === '0', `offset after the mismatch: ${h.headers.get('upload-offset')}`);
  await Upload.terminate(upload.url, { headers: auth(A) });
});

await run('wrong offset: 409', async () => {
  const data = textFile(40 * 1024);
  const upload = new Upload(data, options(A, {
    onBeforeRequest: (req) => { if (req.getMethod() === 'PATCH') req.setHeader('Upload-Offset', '5'); },
  }));
  const err = await finish(upload).then(() => null, (e) => e);
  check(err && err.originalResponse && err.originalResponse.getStatus() === 409, `expected 409, got ${err}`);
  const h = await head(upload.url, A);
  check(h.headers.get('upload-offset') === '0', 'the offset moved');
  await Upload.terminate(upload.url, { headers: auth(A) });
});

await run('termination', async () => {
  const data = textFile(512 * 1024);
  const upload = new Upload(data, options(A, { chunkSize: 64 * 1024 }));
  await new Promise((resolve, reject) => {
    upload.options.onChunkComplete = () => {
      upload.options.onChunkComplete = null;
      upload.abort(true).then(resolve, reject);   // abort + DELETE
    };
    upload.options.onError = reject;
    upload.start();
  });
  const h = await head(upload.url, A);
  check(h.status === 404, `HEAD after termination: ${h.status}`);
  check(h.headers.get('tus-resumable') === '1.0.0', 'no Tus-Resumable on the 404');
});

await run("another user's upload is 404", async () => {
  const data = textFile(256 * 1024);
  const mine = new Upload(data, options(A, { chunkSize: 64 * 1024 }));
  await new Promise((resolve, reject) => {
    mine.options.onChunkComplete = () => {
      mine.options.onChunkComplete = null;
      mine.abort(false).then(resolve, reject);
    };
    mine.options.onError = reject;
    mine.start();
  });
  const statuses = [];
  const theirs = new Upload(data, {
    uploadUrl: mine.url,   // no endpoint: a 404 is not turned into a new upload
    headers: auth(B),
    retryDelays: null,
    chunkSize: 64 * 1024,
    onAfterResponse: (req, res) => statuses.push(`${req.getMethod()} ${res.getStatus()}`),
  });
  const err = await finish(theirs).then(() => null, (e) => e);
  check(err && statuses.join(',') === 'HEAD 404', `B's resume: ${statuses.join(',')} ${err}`);
  const del = await Upload.terminate(mine.url, { headers: auth(B), retryDelays: null }).then(() => null, (e) => e);
  check(del && del.originalResponse && del.originalResponse.getStatus() === 404, `B's DELETE: ${del}`);
  const h = await head(mine.url, A);
  check(h.status === 200 && h.headers.get('upload-offset') === String(64 * 1024), `A's upload after B: ${h.status}`);
  await Upload.terminate(mine.url, { headers: auth(A) });
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
