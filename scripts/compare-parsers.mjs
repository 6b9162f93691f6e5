// How the lossless JSON5 editors on npm fare on test/config/fixtures/corpus (the README's
// table, "Config"). Not part of npm test: it needs the other packages, installed beside, e.g.
//   npm install --no-save @croct/json5-parser@0.2.2 jsonc-parser@3.3.1 jsonc-morph@0.3.6 golden-fleece@1.0.9 jju@1.4.0
//   node scripts/compare-parsers.mjs            (V=1 lists every failure)
// Each file gets five edits (set gateway.port, add a nested key, add a top-level key,
// remove gateway.auth, set a string); every result must read back (json5) as intended.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { JsonParser, JsonObjectNode } from '@croct/json5-parser';
import * as jsonc from 'jsonc-parser';
import * as morph from 'jsonc-morph';
import * as fleece from 'golden-fleece';
import jju from 'jju';

const root = new URL('../', import.meta.url).pathname;
const dir = process.argv[2] ?? path.join(root, 'test/config/fixtures/corpus');
const bundled = await build({ entryPoints: [path.join(root, 'src/core/config/edit.ts')], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error' });
const { editConfig } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json5')).sort();

// comments, found by a scanner that knows JSON5 strings
function comments(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") { for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++; continue; }
    if (c === '/' && text[i + 1] === '/') { let j = i; while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++; out.push(text.slice(i, j)); i = j - 1; continue; }
    if (c === '/' && text[i + 1] === '*') { const j = text.indexOf('*/', i + 2) + 2; out.push(text.slice(i, j)); i = j - 1; }
  }
  return out;
}
function lostComments(a, b) { const left = comments(b); let lost = 0; for (const c of comments(a)) { const k = left.indexOf(c); if (k < 0) lost++; else left.splice(k, 1); } return lost; }
const get = (o, keys) => keys.reduce((v, k) => v?.[k], o);
const OPS = [
  { name: 'set gateway.port', keys: ['gateway', 'port'], value: 19999 },
  { name: 'insert gateway.extra {…}', keys: ['gateway', 'extra'], value: { note: 'new', list: [1, 2] } },
  { name: 'insert top-level zeta', keys: ['zeta'], value: true },
  { name: 'delete gateway.auth', keys: ['gateway', 'auth'], value: undefined },
  { name: 'set agents.defaults.workspace', keys: ['agents', 'defaults', 'workspace'], value: '~/w2' },
];
function expected(old, op) {
  const v = structuredClone(old); const parent = get(v, op.keys.slice(0, -1)); const k = op.keys.at(-1);
  if (op.value === undefined) delete parent[k]; else parent[k] = op.value; return v;
}
const LIBS = {
  'epiloop editConfigText': {
    parse: (t) => { const r = editConfig(t, JSON5.parse(t)); if (r.outcome !== 'edited') throw new Error(r.outcome); return JSON5.parse(r.text); },
    print: (t) => editConfig(t, JSON5.parse(t)).text,
    apply: (t, op) => editConfig(t, expected(JSON5.parse(t), op)).text,
  },
  '@croct/json5-parser set/delete': {
    parse: (t) => JsonParser.parse(t, JsonObjectNode).toJSON(),
    print: (t) => JsonParser.parse(t, JsonObjectNode).toString(),
    apply(t, op) { const root = JsonParser.parse(t, JsonObjectNode); let n = root; for (const k of op.keys.slice(0, -1)) n = n.get(k, JsonObjectNode); if (op.value === undefined) n.delete(op.keys.at(-1)); else n.set(op.keys.at(-1), op.value); return root.toString(); },
  },
  '@croct/json5-parser update(newValue)': {
    parse: (t) => JsonParser.parse(t, JsonObjectNode).toJSON(),
    print: (t) => JsonParser.parse(t, JsonObjectNode).toString(),
    apply(t, op) { const root = JsonParser.parse(t, JsonObjectNode); root.update(expected(JSON5.parse(t), op)); return root.toString(); },
  },
  'jsonc-parser modify': {
    parse(t) { const errors = []; const v = jsonc.parse(t, errors, { allowTrailingComma: true }); if (errors.length) throw new Error(jsonc.printParseErrorCode(errors[0].error)); return v; },
    print: (t) => t,
    apply(t, op) { const eol = t.includes('\r\n') ? '\r\n' : '\n'; return jsonc.applyEdits(t, jsonc.modify(t, op.keys, op.value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } })); },
  },
  'jsonc-morph': {
    parse: (t) => morph.parseToValue(t),
    print: (t) => morph.parse(t).toString(),
    apply(t, op) { const root = morph.parse(t); let o = root.asObjectOrThrow(); for (const k of op.keys.slice(0, -1)) o = o.getIfObjectOrThrow(k); const k = op.keys.at(-1); const prop = o.get(k); if (op.value === undefined) prop.remove(); else if (prop) prop.setValue(op.value); else o.append(k, op.value); return root.toString(); },
  },
  'golden-fleece patch': {
    parse: (t) => fleece.evaluate(t),
    print: (t) => fleece.patch(t, fleece.evaluate(t)),
    apply: (t, op) => fleece.patch(t, expected(JSON5.parse(t), op)),
  },
  'jju update': {
    parse: (t) => jju.parse(t, { mode: 'json5' }),
    print: (t) => jju.update(t, jju.parse(t, { mode: 'json5' }), { mode: 'json5' }),
    apply: (t, op) => jju.update(t, expected(JSON5.parse(t), op), { mode: 'json5' }),
  },
};
const norm = (v) => v === null || typeof v !== 'object' ? v : Array.isArray(v) ? v.map(norm) : Object.fromEntries(Object.keys(v).map((k) => [k, norm(v[k])]));
const sameNum = (a, b) => isDeepStrictEqual(norm(a), norm(b));
const report = {};
for (const [lib, impl] of Object.entries(LIBS)) {
  const r = { parsed: 0, sameValue: 0, roundtrip: 0, ops: 0, opsOk: 0, opsAllComments: 0, lostComments: 0, failures: [] };
  for (const f of files) {
    const t = fs.readFileSync(path.join(dir, f), 'utf8');
    const truth = JSON5.parse(t);
    let v;
    try { v = impl.parse(t); r.parsed++; } catch (e) { r.failures.push(`${f}: parse: ${String(e.message).split('\n')[0]}`); }
    if (v !== undefined && sameNum(v, truth)) r.sameValue++; else if (v !== undefined) r.failures.push(`${f}: value differs`);
    try { if (impl.print(t) === t) r.roundtrip++; else r.failures.push(`${f}: round trip changes bytes`); } catch (e) { r.failures.push(`${f}: print: ${e.message.split('\n')[0]}`); }
    for (const op of OPS) {
      r.ops++;
      let out;
      try { out = impl.apply(t, op); } catch (e) { r.failures.push(`${f}: ${op.name}: ${String(e.message).split('\n')[0]}`); continue; }
      let parsed; try { parsed = JSON5.parse(out); } catch (e) { r.failures.push(`${f}: ${op.name}: output does not parse`); continue; }
      if (sameNum(parsed, expected(truth, op))) r.opsOk++; else { r.failures.push(`${f}: ${op.name}: wrong value`); }
      const lost = lostComments(t, out); r.lostComments += lost; if (lost === 0) r.opsAllComments++;
    }
  }
  report[lib] = r;
}
for (const [lib, r] of Object.entries(report)) {
  console.log(`\n== ${lib}: parsed ${r.parsed}/${files.length}, same value ${r.sameValue}, byte-identical round trip ${r.roundtrip}, edits right ${r.opsOk}/${r.ops}, edits keeping every comment ${r.opsAllComments}/${r.ops} (${r.lostComments} comments lost)`);
  if (process.env.V) for (const f of r.failures) console.log('   ' + f);
}
