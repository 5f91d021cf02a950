// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The realtime hub (/v1/ws) checked with an independent client, npm `ws`. Driven by
// tests/core/realtime/tst_realtimenodews.cpp, which starts the daemon and passes:
//   WS_URL, HTTP_URL, OPERATOR_TOKEN, USER_TOKEN, OTHER_USER_ID, GOOD_ORIGIN
// Prints "ok <check>" / "not ok <check>: why" and a closing "N passed, N failed" line;
// exits non-zero when a check failed. Every wait is bounded.
import WebSocket from 'ws';

const env = process.env;
const results = [];

function open(url, options = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, options);
    const frames = [];
    ws.frames = frames;
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    ws.closed = new Promise((r) => ws.on('close', (code) => r(code)));
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', (e) => resolve({ error: String(e) }));
  });
}

function waitFor(ws, pred, ms = 5000) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const tick = () => {
      const f = ws.frames.find(pred);
      if (f || Date.now() - t0 > ms) return resolve(f);
      setTimeout(tick, 20);
    };
    tick();
  });
}

const timeout = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r('timeout'), ms))]);

async function publish(topic, data) {
  const r = await fetch(`${env.HTTP_URL}/v1/system/realtime/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topic, data }),
  });
  return (await r.json()).seq;
}

async function check(name, fn) {
  try {
    const why = await fn();
    results.push([name, why]);
    console.log(why ? `not ok ${name}: ${why}` : `ok ${name}`);
  } catch (e) {
    results.push([name, String(e)]);
    console.log(`not ok ${name}: ${e}`);
  }
}

const auth = { headers: { authorization: `Bearer ${env.USER_TOKEN}` } };
let userId = '';

await check('auth by header', async () => {
  const { ws } = await open(env.WS_URL, auth);
  if (!ws) return 'no socket';
  const ready = await waitFor(ws, (f) => f.type === 'ready');
  ws.close();
  if (!ready || !ready.user) return 'no ready frame';
  userId = ready.user;
});

await check('auth by frame', async () => {
  const { ws } = await open(env.WS_URL);
  ws.send(JSON.stringify({ type: 'auth', token: env.USER_TOKEN }));
  const ready = await waitFor(ws, (f) => f.type === 'ready');
  ws.close();
  if (!ready || ready.user !== userId) return 'no ready frame for the same user';
});

await check('auth timeout closes 4001', async () => {
  const { ws } = await open(env.WS_URL);
  const code = await timeout(ws.closed, 5000);
  if (code !== 4001) return `closed with ${code}`;
});

await check('token in URL refused', async () => {
  const r = await open(`${env.WS_URL}?access_token=${env.USER_TOKEN}`);
  if (r.status !== 400) return `status ${r.status ?? r.error}`;
});

await check('bad origin refused', async () => {
  const r = await open(env.WS_URL, { ...auth, origin: 'https://evil.example' });
  if (r.status !== 403) return `status ${r.status ?? r.error}`;
  const good = await open(env.WS_URL, { ...auth, origin: env.GOOD_ORIGIN });
  if (!good.ws) return `allowed origin refused: ${good.status}`;
  good.ws.close();
});

await check('foreign user topic refused', async () => {
  const { ws } = await open(env.WS_URL, auth);
  ws.send(JSON.stringify({ type: 'subscribe', topic: `user:${env.OTHER_USER_ID}`, id: 'x' }));
  const e = await waitFor(ws, (f) => f.id === 'x');
  ws.close();
  if (!e || e.type !== 'error' || e.code !== 'forbidden') return JSON.stringify(e);
});

await check('resume replays what was missed, gap-free counter', async () => {
  const topic = `user:${userId}`;
  let { ws } = await open(env.WS_URL, auth);
  ws.send(JSON.stringify({ type: 'subscribe', topic }));
  const sub = await waitFor(ws, (f) => f.type === 'subscribed');
  const first = await publish(topic, { i: 1 });
  const got = await waitFor(ws, (f) => f.type === 'event' && f.seq === first);
  if (!got) return 'live frame missing';
  if (!ws.frames.every((f, i) => f.n === i + 1)) return 'frame counter has a gap';
  ws.terminate();
  const a = await publish(topic, { i: 2 });
  const b = await publish(topic, { i: 3 });
  ({ ws } = await open(env.WS_URL, auth));
  ws.send(JSON.stringify({ type: 'subscribe', topic, since: first }));
  const last = await waitFor(ws, (f) => f.type === 'event' && f.seq === b);
  const seqs = ws.frames.filter((f) => f.type === 'event').map((f) => f.seq);
  ws.close();
  if (!sub || !last || JSON.stringify(seqs) !== JSON.stringify([a, b])) return `replayed ${JSON.stringify(seqs)}`;
  if (!last.replay) return 'replayed frame not marked';
});

const failed = results.filter(([, why]) => why).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
