// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// ws-ceiling.mjs — the realtime benchmark's ceiling: a Node `ws` server doing the same
// fan-out as communityd's hub with nothing else (no auth check, no database, no bus): it
// answers the hub's `ready`/`subscribed` frames, and POST /publish {"topic","data"} sends
// {"type":"event","topic","data","n"} to every socket subscribed to the topic.
// Prints "listening <port>" once ready. PORT (0 = any).
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require(process.env.WS_MODULE || 'ws');

const topics = new Map();   // topic -> Set of sockets
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/publish') { res.writeHead(404).end(); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { topic, data } = JSON.parse(Buffer.concat(chunks).toString());
    for (const ws of topics.get(topic) || []) {
      ws.n += 1;
      ws.send(JSON.stringify({ type: 'event', topic, data, n: ws.n }));
    }
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"seq":0}');
  });
});
const wss = new WebSocketServer({ server, path: '/v1/ws', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.n = 1;
  ws.send(JSON.stringify({ type: 'ready', n: ws.n }));
  ws.on('message', (buf) => {
    const f = JSON.parse(buf.toString());
    if (f.type !== 'subscribe') return;
    if (!topics.has(f.topic)) topics.set(f.topic, new Set());
    topics.get(f.topic).add(ws);
    ws.n += 1;
    ws.send(JSON.stringify({ type: 'subscribed', topic: f.topic, n: ws.n }));
  });
  ws.on('close', () => { for (const s of topics.values()) s.delete(ws); });
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
