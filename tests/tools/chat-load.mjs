// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Load generator of tests/bench/chat_bench.sh (npm `ws` and node:http, no other package).
// Sets up USERS accounts and ROOMS groups of MEMBERS members over the public API, connects
// one WebSocket per account subscribed to its rooms' topics, then measures:
//   rate   RATE messages/s (open loop) for SECONDS: send -> receive latency over every
//          delivery (each message reaches all members of its room, the sender included)
//   max    CONCURRENCY senders in a closed loop for SECONDS: persisted messages/s (201s)
//          and deliveries/s
// Env: BASE (http://host:port), USERS (1000), ROOMS (1000), MEMBERS (10), RATE (500),
// SECONDS (10), CONCURRENCY (64), PHASES ("rate,max"), OUT (file for the room/token list).
// Prints one JSON object per phase on stdout; progress on stderr.
import http from 'node:http';
import fs from 'node:fs';
import WebSocket from 'ws';

const env = process.env;
const base = new URL(env.BASE);
const users = +(env.USERS ?? 1000);
const rooms = +(env.ROOMS ?? 1000);
const members = +(env.MEMBERS ?? 10);
const seconds = +(env.SECONDS ?? 10);
const log = (...a) => console.error('chat-load:', ...a);
const agent = new http.Agent({ keepAlive: true, maxSockets: +(env.SOCKETS ?? 64) });
const now = () => Number(process.hrtime.bigint()) / 1e6;   // ms

function request(method, path, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (data) headers['content-length'] = data.length;
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function pool(n, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  });
  await Promise.all(workers);
}

function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// ---- setup ------------------------------------------------------------------------------
const pw = 'bench-password-9f3k2';
const acct = [];
const stamp = Date.now().toString(36);
log(`registering ${users} accounts`);
await pool(users, 16, async (i) => {
  const username = `cb${stamp}${i}`;
  let r = await request('POST', '/v1/auth/register', null, { username, email: `${username}@bench.example`, password: pw });
  if (r.status !== 201 && r.status !== 200) throw new Error(`register ${r.status} ${r.text}`);
  r = await request('POST', '/v1/auth/login', null, { login: username, password: pw });
  if (r.status !== 200) throw new Error(`login ${r.status} ${r.text}`);
  const token = r.json.accessToken;
  const me = await request('GET', '/v1/users/me', token);
  acct[i] = { token, id: me.json.id, rooms: [] };
});
// Room r: accounts (r + k * users/members) mod users, k = 0..members-1: each account is in
// rooms*members/users rooms.
log(`creating ${rooms} rooms of ${members}`);
const roomIds = [];
const stride = Math.max(1, Math.floor(users / members));
await pool(rooms, 16, async (r) => {
  const m = Array.from({ length: members }, (_, k) => (r + k * stride) % users);
  const r2 = await request('POST', '/v1/chat/rooms', acct[m[0]].token,
                           { kind: 'group', name: `bench ${r}`, members: m.slice(1).map((i) => acct[i].id) });
  if (r2.status !== 201) throw new Error(`room ${r2.status} ${r2.text}`);
  roomIds[r] = r2.json.id;
  for (const i of m) acct[i].rooms.push(r2.json.id);
});
if (env.OUT)
  fs.writeFileSync(env.OUT, JSON.stringify({ token: acct[0].token, rooms: acct[0].rooms }));

// ---- sockets ------------------------------------------------------------------------------
const wsUrl = `ws://${base.host}/v1/ws`;
const pending = new Map();   // clientId -> send start (ms)
let phase = null;            // {latencies: [], deliveries: 0}
log(`connecting ${users} sockets`);
await pool(users, 32, (i) => new Promise((resolve, reject) => {
  const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${acct[i].token}` }, perMessageDeflate: false });
  let acks = 0;
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (f.type === 'subscribed') {
      if (++acks === acct[i].rooms.length) resolve();
      return;
    }
    if (f.type === 'error') { reject(new Error(JSON.stringify(f))); return; }
    if (f.type !== 'event' || f.data?.kind !== 'message.new' || !phase) return;
    const t0 = pending.get(f.data.message.clientId);
    if (t0 === undefined) return;
    phase.deliveries++;
    phase.latencies.push(now() - t0);
  });
  ws.on('open', () => {
    for (const room of acct[i].rooms) ws.send(JSON.stringify({ type: 'subscribe', topic: `room:${room}` }));
  });
  ws.on('error', reject);
  acct[i].ws = ws;
}));
log('connected');

let seq = 0;
async function sendOne() {
  const i = Math.floor(Math.random() * users);
  const a = acct[i];
  const room = a.rooms[Math.floor(Math.random() * a.rooms.length)];
  const clientId = `b${stamp}-${++seq}`;
  pending.set(clientId, now());
  const r = await request('POST', `/v1/chat/rooms/${room}/messages`, a.token, { clientId, body: `bench message ${seq} in ${room}` });
  if (r.status !== 201) {
    phase.errors[r.status] = (phase.errors[r.status] ?? 0) + 1;
    return false;
  }
  return true;
}

function summary(name, extra, elapsedMs) {
  const sorted = phase.latencies.sort((a, b) => a - b);
  return {
    phase: name, ...extra, seconds: +(elapsedMs / 1000).toFixed(2),
    persisted: phase.sent, persistedPerSecond: +(phase.sent * 1000 / elapsedMs).toFixed(1),
    deliveries: phase.deliveries, deliveriesPerSecond: +(phase.deliveries * 1000 / elapsedMs).toFixed(1),
    expectedDeliveries: phase.sent * members,
    latencyMs: { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? null },
    errors: phase.errors,
  };
}

async function drain() {
  // Let the last deliveries arrive (counted in the figures but not in the elapsed time).
  const t = now();
  let last = -1;
  while (now() - t < 5000 && phase.deliveries !== last) {
    last = phase.deliveries;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const phases = (env.PHASES ?? 'rate,max').split(',');
for (const name of phases) {
  phase = { latencies: [], deliveries: 0, sent: 0, errors: {} };
  pending.clear();
  const t0 = now();
  const end = t0 + seconds * 1000;
  if (name === 'rate') {
    const rate = +(env.RATE ?? 500);
    const inflight = new Set();
    let issued = 0;
    // Open loop: issue what the schedule says is due every millisecond tick.
    while (now() < end) {
      const due = Math.floor((now() - t0) * rate / 1000);
      while (issued < due) {
        issued++;
        const p = sendOne().then((ok) => { if (ok) phase.sent++; inflight.delete(p); });
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inflight);
    const elapsed = now() - t0;
    await drain();
    console.log(JSON.stringify(summary('rate', { targetRate: rate }, elapsed)));
  } else if (name === 'max') {
    const concurrency = +(env.CONCURRENCY ?? 64);
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (now() < end)
        if (await sendOne()) phase.sent++;
    }));
    const elapsed = now() - t0;
    await drain();
    console.log(JSON.stringify(summary('max', { concurrency }, elapsed)));
  }
}
for (const a of acct) a.ws.close();
agent.destroy();
