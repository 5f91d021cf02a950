// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// fanout.mjs — the realtime benchmark's client (npm `ws`), used against communityd's
// /v1/ws and against ws-ceiling.mjs with the same protocol subset:
//   open CONNS sockets (Authorization header), wait for `ready`, subscribe TOPIC, wait for
//   `subscribed`; read the server's RSS (SERVER_PID) before and after: bytes per idle socket;
//   then publish MESSAGES frames at RATE per second through PUBLISH_URL (HTTP POST with
//   {"topic","data":{"i","t"},"ephemeral"}), every socket counting its deliveries; latency =
//   receive time - the publisher's timestamp t (same process, same clock).
// Prints one JSON line: {conns, rssPerConnKB, published, delivered, deliveriesPerSec, p50, p99, max, lost}.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const WebSocket = require(process.env.WS_MODULE || 'ws');

const env = process.env;
const conns = Number(env.CONNS || 1000);
const topic = env.TOPIC || 'admin:bench';
const messages = Number(env.MESSAGES || 100);
const rate = Number(env.RATE || 10);
const ephemeral = env.EPHEMERAL === '1';
const headers = { Authorization: `Bearer ${env.TOKEN}` };

function rssKB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

const latencies = [];
let delivered = 0;
let lastDelivery = 0;

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(env.WS_URL, { headers, perMessageDeflate: false, skipUTF8Validation: true });
    let subscribed = false;
    const timer = setTimeout(() => reject(new Error('socket not subscribed in 60 s')), 60_000);
    ws.on('message', (buf) => {
      if (subscribed) {
        // Frames during the run: find "t": without parsing the whole frame (the client
        // must not be the bottleneck it measures).
        const s = buf.toString('latin1');
        const at = s.indexOf('"t":');
        if (at < 0) return;
        const now = performance.timeOrigin + performance.now();
        latencies.push(now - parseFloat(s.slice(at + 4)));
        ++delivered;
        lastDelivery = now;
        return;
      }
      const f = JSON.parse(buf.toString());
      if (f.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', topic }));
      else if (f.type === 'subscribed') { subscribed = true; clearTimeout(timer); resolve(ws); }
      else if (f.type === 'error') { clearTimeout(timer); reject(new Error(`${f.code}: ${f.message}`)); }
    });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

const rssBefore = rssKB(env.SERVER_PID);
const sockets = [];
for (let i = 0; i < conns; i += 250) {
  const batch = [];
  for (let j = i; j < Math.min(conns, i + 250); ++j) batch.push(open());
  sockets.push(...(await Promise.all(batch)));
}
await new Promise((r) => setTimeout(r, 2000));   // let allocations settle
const rssAfter = rssKB(env.SERVER_PID);

const publishStart = performance.now();
let published = 0;
let failed = 0;
const inFlight = [];
for (let i = 0; i < messages; ++i) {
  const due = publishStart + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const t = performance.timeOrigin + performance.now();
  inFlight.push(fetch(env.PUBLISH_URL, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ topic, data: { i, t }, ephemeral }),
  }).then((r) => { if (r.status === 202 || r.status === 200) ++published; else ++failed; return r.arrayBuffer(); })
    .catch(() => { ++failed; }));
}
await Promise.all(inFlight);
const expected = published * conns;
const deadline = performance.now() + 30_000;
while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const firstT = performance.timeOrigin + publishStart;
const seconds = Math.max(1e-3, (lastDelivery - firstT) / 1000);

latencies.sort((a, b) => a - b);
const pick = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN);
for (const ws of sockets) ws.terminate();
console.log(JSON.stringify({
  conns, topic, ephemeral, rate, published, failed,
  rssPerConnKB: Number(((rssAfter - rssBefore) / conns).toFixed(2)),
  delivered, lost: expected - delivered,
  deliveriesPerSec: Math.round(delivered / seconds),
  p50: Number(pick(0.5).toFixed(2)), p99: Number(pick(0.99).toFixed(2)), max: Number(pick(1).toFixed(2)),
}));
process.exit(0);
