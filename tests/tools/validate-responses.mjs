// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// node validate-responses.mjs <openapi.json> <responses.jsonl> [--require-all]
//
// Checks real answers recorded by the http tests (tests/support/httpclient.cpp writes one
// JSON line per answer: method, path, status, contentType, and the body when it is JSON) against the document the
// daemon serves: each answer's status must be documented for its operation and its body
// must validate against the documented schema (JSON Schema 2020-12, Ajv). Answers to paths
// or methods the document does not have (the tests' 404 and 405 probes) are counted, not
// checked. Prints a report; exit 1 on any violation (and, with --require-all, when an
// operation never answered with a documented success: a 2xx, or a documented 3xx such as a
// download's redirect).
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const [docPath, logPath, ...flags] = process.argv.slice(2);
if (!docPath || !logPath) {
  console.error('usage: validate-responses.mjs <openapi.json> <responses.jsonl> [--require-all]');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(docPath, 'utf8'));
const LAYER_STATUSES = new Set([400, 408, 413, 431, 501, 503]);
const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l.trim() !== '');

// Every "#/..." reference of the document, made absolute, so that inline response
// schemas compile against the document's components.
const absolute = (node) => {
  if (Array.isArray(node)) return node.map(absolute);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `openapi.json${v}` : absolute(v);
    return out;
  }
  return node;
};
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openapi.json', components: absolute(doc.components ?? {}) });

// Path templates, literal segments before parameters (/v1/users/me before /v1/users/{username}).
const templates = Object.keys(doc.paths ?? {}).map((t) => {
  const segments = t.split('/');
  return {
    template: t,
    regex: new RegExp('^' + segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/') + '$'),
    params: segments.filter((s) => /^\{.+\}$/.test(s)).length,
  };
}).sort((a, b) => a.params - b.params || b.template.length - a.template.length);

const resolve = (node) => {
  while (node && node.$ref) {
    const parts = node.$ref.replace(/^#\//, '').split('/');
    node = parts.reduce((n, p) => n?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
};

const validators = new Map();
const validatorFor = (key, schema) => {
  if (!validators.has(key)) validators.set(key, ajv.compile(absolute(schema)));
  return validators.get(key);
};

const problems = new Map();   // "METHOD template status" -> { count, messages: Set }
const note = (key, message) => {
  const p = problems.get(key) ?? { count: 0, messages: new Set() };
  p.count += 1;
  if (p.messages.size < 5) p.messages.add(message);
  problems.set(key, p);
};
const exercised = new Set();
let checked = 0, unknownPath = 0, unknownMethod = 0;

for (const line of lines) {
  const r = JSON.parse(line);
  const match = templates.find((t) => t.regex.test(r.path));
  if (!match) { unknownPath += 1; continue; }
  const operation = doc.paths[match.template][r.method.toLowerCase()];
  if (!operation) { unknownMethod += 1; continue; }
  const key = `${r.method} ${match.template} ${r.status}`;
  const responses = operation.responses ?? {};
  let documented = responses[String(r.status)] ?? responses[`${String(r.status)[0]}XX`] ?? responses.default;
  // What the HTTP layer answers before any route runs (the document's info.description).
  if (!documented && LAYER_STATUSES.has(r.status)) documented = { $ref: '#/components/responses/Problem' };
  if (!documented) { note(key, `status ${r.status} is not documented (documented: ${Object.keys(responses).join(', ')})`); continue; }
  if (r.status < 400) exercised.add(`${r.method} ${match.template}`);
  const response = resolve(documented);
  const mediaType = r.contentType.split(';')[0].trim();
  const content = response.content ?? {};
  if (!mediaType.includes('json')) {   // no body recorded: the type must be documented (or no content at all)
    const covered = Object.keys(content).some((t) => t === mediaType || t === '*/*' ||
                                                    (t.endsWith('/*') && mediaType.startsWith(t.slice(0, -1))));
    if (Object.keys(content).length > 0 && !covered)
      note(key, `content type ${mediaType || '(none)'} where ${Object.keys(content).join(', ')} is documented`);
    continue;
  }
  const media = content[mediaType] ?? content['application/json'] ?? content['application/problem+json'];
  if (!media || !media.schema) {
    if (Object.keys(content).length > 0) note(key, `content type ${mediaType} is not documented`);
    continue;
  }
  let body;
  try { body = JSON.parse(r.body); } catch { note(key, 'body is not JSON'); continue; }
  const validate = validatorFor(`${key} ${mediaType}`, media.schema);
  checked += 1;
  if (!validate(body)) {
    for (const e of validate.errors.slice(0, 3))
      note(key, `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''} — ${r.path}`);
  }
}

const operations = [];
for (const [template, item] of Object.entries(doc.paths ?? {}))
  for (const method of ['get', 'put', 'post', 'delete', 'patch'])
    if (item[method]) operations.push(`${method.toUpperCase()} ${template}`);
// An upgrade (101) is answered to a WebSocket client, which the recorder does not see.
const upgrades = (o) => { const [m, t] = o.split(' '); return '101' in (doc.paths[t][m.toLowerCase()].responses ?? {}); };
const missing = operations.filter((o) => !exercised.has(o) && !upgrades(o));

console.log(`${lines.length} answers recorded; ${checked} bodies validated; ${unknownPath} to undocumented paths and ` +
            `${unknownMethod} to undocumented methods not checked`);
console.log(`${operations.length - missing.length} of ${operations.length} operations answered with a documented success`);
if (missing.length) console.log(`never answered with a success:\n  ${missing.join('\n  ')}`);
for (const [key, p] of [...problems.entries()].sort()) {
  console.log(`VIOLATION ${key} (${p.count}×)`);
  for (const m of p.messages) console.log(`  ${m}`);
}
process.exit(problems.size > 0 || (flags.includes('--require-all') && missing.length > 0) ? 1 : 0);
