// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// notify-latency.mjs — comment created → reply notification on the post author's socket.
// Registers AUTHORS authors (each with a post in one community, each watching its own
// `user:<id>` topic over /v1/ws) and as many commenters, then sends RATE comments per
// second for NOTIFY_SECONDS seconds, round robin over the posts. For each comment: the time from
// its request and from its 201 answer (sent after the commit) to the `notification` frame
// that names it. Prints one JSON line.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const WebSocket = require(process.env.WS_MODULE || 'ws');
const env = process.env;
const base = env.HTTP_URL;
const authors = Number(env.AUTHORS || 20);
const rate = Number(env.RATE || 200);
const seconds = Number(env.NOTIFY_SECONDS || 20);
const password = 'Bench-Notify-Latency-2026!';
const now = () => performance.timeOrigin + performance.now();

async function call(method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : {} };
}

async function account(name) {
  const reg = await call('POST', '/v1/auth/register', null, { username: name, email: `${name}@bench.example`, password });
  if (reg.status !== 201) throw new Error(`register ${name}: ${reg.status} ${JSON.stringify(reg.json)}`);
  const login = await call('POST', '/v1/auth/login', null, { login: name, password });
  if (!login.json.accessToken) throw new Error(`login ${name}: ${login.status}`);
  return login.json.accessToken;
}

const run = Date.now().toString(36);
const authorTokens = [];
const commenterTokens = [];
for (let i = 0; i < authors; ++i) {
  authorTokens.push(await account(`nla${run}${i}`));
  commenterTokens.push(await account(`nlc${run}${i}`));
}
const slug = `nl${run}`;
const community = await call('POST', '/v1/communities', authorTokens[0], { slug, title: 'Latency', description: 'bench' });
if (community.status !== 201) throw new Error(`community: ${community.status} ${JSON.stringify(community.json)}`);
const posts = [];
for (const token of authorTokens) {
  await call('POST', `/v1/communities/${slug}/join`, token);
  const p = await call('POST', `/v1/communities/${slug}/posts`, token, { title: 'Latency post', body: 'Replies wanted.' });
  if (p.status !== 201) throw new Error(`post: ${p.status} ${JSON.stringify(p.json)}`);
  posts.push(p.json.id);
}

const sent = new Map();      // commentId -> {start, answered}
const arrived = new Map();   // commentId -> arrival time (when the frame beat the answer)
const fromRequest = [];
const fromAnswer = [];
function record(id, at) {
  const s = sent.get(id);
  if (!s) { arrived.set(id, at); return; }
  fromRequest.push(at - s.start);
  fromAnswer.push(at - s.answered);
  sent.delete(id);
}
const sockets = await Promise.all(authorTokens.map((token) => new Promise((resolve, reject) => {
  const ws = new WebSocket(env.WS_URL, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
  ws.on('message', (buf) => {
    const f = JSON.parse(buf.toString());
    if (f.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', topic: `user:${f.user}` }));
    else if (f.type === 'subscribed') resolve(ws);
    else if (f.type === 'event' && f.data?.kind === 'notification') {
      const id = f.data.notification?.subject?.commentId;
      if (id) record(id, now());
    } else if (f.type === 'error') reject(new Error(f.message));
  });
  ws.on('error', reject);
})));

const total = rate * seconds;
const start = performance.now();
const inFlight = [];
let failed = 0;
for (let i = 0; i < total; ++i) {
  const wait = start + (i * 1000) / rate - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const k = i % authors;
  const t0 = now();
  inFlight.push(call('POST', `/v1/posts/${posts[k]}/comments`, commenterTokens[(k + 1) % authors], { body: `reply ${i}` })
    .then((r) => {
      if (r.status !== 201) { ++failed; return; }
      sent.set(r.json.id, { start: t0, answered: now() });
      if (arrived.has(r.json.id)) { record(r.json.id, arrived.get(r.json.id)); arrived.delete(r.json.id); }
    }).catch(() => { ++failed; }));
}
await Promise.all(inFlight);
const achieved = total / ((performance.now() - start) / 1000);
const deadline = performance.now() + 10_000;
while (sent.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
for (const ws of sockets) ws.terminate();
const q = (a, p) => { a.sort((x, y) => x - y); return a.length ? Number(a[Math.min(a.length - 1, Math.floor(p * a.length))].toFixed(1)) : NaN; };
console.log(JSON.stringify({
  comments: total, failed, commentsPerSec: Math.round(achieved), notified: fromAnswer.length, missing: sent.size,
  fromAnswerP50: q(fromAnswer, 0.5), fromAnswerP99: q(fromAnswer, 0.99),
  fromRequestP50: q(fromRequest, 0.5), fromRequestP99: q(fromRequest, 0.99),
}));
process.exit(0);
