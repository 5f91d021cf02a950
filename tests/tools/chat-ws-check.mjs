// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Chat on the realtime hub checked with an independent client, npm `ws`. Driven by
// tests/plugins/chat/tst_chatrealtime.cpp, which starts two daemons on one database and
// passes: WS_A, HTTP_A, WS_B, HTTP_B, TOKEN_A, TOKEN_B, TOKEN_OUT, USER_A, USER_B, ROOM.
// A sends through node A; B listens on node A or B. Prints "ok <check>" /
// "not ok <check>: why" and "N passed, N failed"; exits non-zero when a check failed.
import WebSocket from 'ws';

const env = process.env;
const results = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function open(url, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    ws.frames = [];
    ws.on('message', (data) => ws.frames.push(JSON.parse(data.toString())));
    ws.closed = new Promise((r) => ws.on('close', (code) => r(code)));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

async function waitFor(ws, pred, ms = 5000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const f = ws.frames.find(pred);
    if (f) return f;
    await sleep(10);
  }
  return undefined;
}

async function subscribe(ws, topic, since) {
  const frame = { type: 'subscribe', topic };
  if (since !== undefined) frame.since = since;
  const from = ws.frames.length;
  ws.send(JSON.stringify(frame));
  return waitFor(ws, (f) => ws.frames.indexOf(f) >= from && f.topic === topic && (f.type === 'subscribed' || f.type === 'error'));
}

let counter = 0;
async function send(token, body, base = env.HTTP_A) {
  const r = await fetch(`${base}/v1/chat/rooms/${env.ROOM}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: `ws-${process.pid}-${++counter}`, body }),
  });
  if (r.status !== 201) throw new Error(`send ${r.status} ${await r.text()}`);
  return r.json();
}

async function call(method, path, token, base = env.HTTP_A) {
  const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return r.status;
}

const newMessages = (ws) => ws.frames.filter((f) => f.type === 'event' && f.data.kind === 'message.new');

async function check(name, fn) {
  try {
    const why = await fn();
    results.push(!why);
    console.log(why ? `not ok ${name}: ${why}` : `ok ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`not ok ${name}: ${e}`);
  }
}

const topic = `room:${env.ROOM}`;
let lastSeq = 0;

await check('members only', async () => {
  const out = await open(env.WS_A, env.TOKEN_OUT);
  const refused = await subscribe(out, topic);
  out.close();
  if (refused?.type !== 'error' || refused.code !== 'forbidden') return `outsider got ${JSON.stringify(refused)}`;
  const b = await open(env.WS_A, env.TOKEN_B);
  const ok = await subscribe(b, topic);
  b.close();
  return ok?.type === 'subscribed' ? '' : `member got ${JSON.stringify(ok)}`;
});

await check('new, edit, reaction and delete frames', async () => {
  const b = await open(env.WS_A, env.TOKEN_B);
  await subscribe(b, topic);
  const m = await send(env.TOKEN_A, 'hello **b**');
  const got = await waitFor(b, (f) => f.type === 'event' && f.data.kind === 'message.new' && f.data.message.id === m.id);
  if (!got || !got.data.message.html.includes('<strong>b</strong>')) return `no message.new: ${JSON.stringify(b.frames)}`;
  const base = `/v1/chat/rooms/${env.ROOM}/messages/${m.id}`;
  await fetch(`${env.HTTP_A}${base}`, {
    method: 'PATCH', headers: { authorization: `Bearer ${env.TOKEN_A}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'edited' }),
  });
  await call('PUT', `${base}/reactions/${encodeURIComponent('🎉')}`, env.TOKEN_B);
  await call('DELETE', base, env.TOKEN_A);
  const kinds = ['message.edited', 'reaction.added', 'message.deleted'];
  for (const k of kinds) {
    if (!(await waitFor(b, (f) => f.type === 'event' && f.data.kind === k))) return `no ${k}`;
  }
  const seqs = b.frames.filter((f) => f.type === 'event').map((f) => f.seq);
  lastSeq = seqs[seqs.length - 1];
  b.close();
  return seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1) ? '' : `seqs ${seqs}`;
});

await check('resume after a dropped socket: every missed message once, in order', async () => {
  const b = await open(env.WS_A, env.TOKEN_B);
  const sub = await subscribe(b, topic);
  const since = sub.seq;
  b.terminate();   // dropped, not closed
  const sent = [];
  for (let i = 0; i < 10; ++i) sent.push((await send(env.TOKEN_A, `missed ${i}`)).id);
  const again = await open(env.WS_A, env.TOKEN_B);
  await subscribe(again, topic, since);
  // One more while resuming; it must come once, after the replay.
  sent.push((await send(env.TOKEN_A, 'live')).id);
  await waitFor(again, (f) => f.type === 'event' && f.data.message?.id === sent[sent.length - 1]);
  await sleep(300);
  const ids = newMessages(again).map((f) => f.data.message.id);
  again.close();
  if (JSON.stringify(ids) !== JSON.stringify(sent)) return `got ${ids}, sent ${sent}`;
  const replayed = again.frames.filter((f) => f.replay).length;
  return replayed >= 10 ? '' : `only ${replayed} replayed`;
});

await check('node A send reaches node B client, in order', async () => {
  const b = await open(env.WS_B, env.TOKEN_B);
  await subscribe(b, topic);
  const sent = [];
  for (let i = 0; i < 30; ++i) sent.push((await send(env.TOKEN_A, `cross ${i}`)).id);
  await waitFor(b, (f) => f.type === 'event' && f.data.message?.id === sent[sent.length - 1], 10000);
  const got = newMessages(b).map((f) => f.data.message);
  b.close();
  if (JSON.stringify(got.map((m) => m.id)) !== JSON.stringify(sent)) return `got ${got.length} of ${sent.length}`;
  return got.every((m, i) => i === 0 || m.seq === got[i - 1].seq + 1) ? '' : 'message seqs out of order';
});

await check('typing reaches the others, not the sender, and is throttled', async () => {
  const a = await open(env.WS_A, env.TOKEN_A);
  const b = await open(env.WS_A, env.TOKEN_B);
  await subscribe(a, `chat:${env.USER_A}`);
  await subscribe(b, `chat:${env.USER_B}`);
  const forbidden = await subscribe(a, `chat:${env.USER_B}`);
  if (forbidden?.type !== 'error') return 'subscribed to another user\'s chat topic';
  const first = await call('POST', `/v1/chat/rooms/${env.ROOM}/typing`, env.TOKEN_A);
  const second = await call('POST', `/v1/chat/rooms/${env.ROOM}/typing`, env.TOKEN_A);
  const got = await waitFor(b, (f) => f.type === 'event' && f.data.kind === 'typing');
  await sleep(200);
  const echoed = a.frames.some((f) => f.type === 'event' && f.data.kind === 'typing');
  const count = b.frames.filter((f) => f.type === 'event' && f.data.kind === 'typing').length;
  a.close();
  b.close();
  if (first !== 202 || second !== 204) return `statuses ${first} ${second}`;
  if (!got || got.data.userId !== env.USER_A || got.seq !== undefined) return `frame ${JSON.stringify(got)}`;
  return !echoed && count === 1 ? '' : `echoed ${echoed}, count ${count}`;
});

await check('typing sent through node A reaches a client on node B, once', async () => {
  const b = await open(env.WS_B, env.TOKEN_B);
  await subscribe(b, `chat:${env.USER_B}`);
  await sleep(2100);   // past the previous check's throttle window (typingIntervalMs)
  const status = await call('POST', `/v1/chat/rooms/${env.ROOM}/typing`, env.TOKEN_A);
  const got = await waitFor(b, (f) => f.type === 'event' && f.data.kind === 'typing');
  await sleep(300);
  const count = b.frames.filter((f) => f.type === 'event' && f.data.kind === 'typing').length;
  b.close();
  if (status !== 202) return `status ${status}`;
  if (!got || got.data.userId !== env.USER_A || got.data.roomId !== env.ROOM) return `frame ${JSON.stringify(got)}`;
  return count === 1 ? '' : `count ${count}`;
});

await check('a removed member stops receiving at once', async () => {
  const b = await open(env.WS_A, env.TOKEN_B);
  await subscribe(b, topic);
  const removed = await call('DELETE', `/v1/chat/rooms/${env.ROOM}/members/${env.USER_B}`, env.TOKEN_A);
  const m = await send(env.TOKEN_A, 'after removal');
  const gone = await waitFor(b, (f) => f.type === 'unsubscribed' && f.topic === topic);
  await sleep(200);
  const leaked = newMessages(b).some((f) => f.data.message.id === m.id);
  b.close();
  if (removed !== 204) return `remove ${removed}`;
  return gone && gone.reason === 'forbidden' && !leaked ? '' : `unsubscribed ${JSON.stringify(gone)}, leaked ${leaked}`;
});

const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
