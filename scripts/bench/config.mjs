// The lossless config editor: `config set` start to end against a bare node, and the edit
// of a 200 KB hand-commented config (parse, diff, edit, print, read back).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** About 200 KB of JSON5 as a person writes it: comments, unquoted keys, single quotes, hex. */
export function bigConfig(bytes = 200_000) {
  const parts = ['// a big hand-written config\n{\n  gateway: {\n    // the base\n    port: 18789,\n    auth: { token: "abcdefghijklmnopqrstuvwxyz" },\n  },\n  plugins: {\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const entry = `    // plugin ${i}\n    p${i}: { enabled: true, name: 'plugin number ${i}', weight: ${i * 1.5}, tags: ['a', "b"], nested: { x: 0x${i.toString(16)}, y: null } },\n`;
    parts.push(entry);
    size += entry.length;
  }
  parts.push('  },\n}\n');
  return parts.join('');
}

export default async function bench({ bin, node, root, tempHome, median, percentile, wall }) {
  const { env } = tempHome();
  spawnSync(node, [bin, 'setup'], { env, stdio: 'ignore' });
  // Alternating values, so every run writes (a set to the value already there writes nothing).
  const bare = [];
  const bind = [];
  const port = [];
  const ports = [18889, 18999];
  wall(['-e', '0'], env);
  for (let i = 0; i < 15; i++) {
    bare.push(wall(['-e', '0'], env));
    bind.push(wall([bin, 'config', 'set', 'gateway.bind', i % 2 ? 'loopback' : 'localhost'], env));
    port.push(wall([bin, 'config', 'set', 'gateway.port', String(ports[i % 2])], env));
  }

  // The editor as it ships: bundled by esbuild (tsx's dev transform would add its own cost).
  const { build } = await import('esbuild');
  const bundled = await build({ entryPoints: [path.join(root, 'src/core/config/edit.ts')], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, logLevel: 'error' });
  const { editConfig } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
  const JSON5 = (await import('json5')).default;
  const text = bigConfig();
  const raw = JSON5.parse(text);
  const json = JSON.stringify(raw);
  const times = [];
  const cpu = [];
  const parse = [];
  for (let run = 0; run < 40; run++) {
    const next = structuredClone(raw);
    next.gateway.port = 19000 + run;
    next.plugins[`added${run}`] = { enabled: false };
    const started = performance.now();
    const usage = process.cpuUsage();
    const { outcome } = editConfig(text, next);
    const used = process.cpuUsage(usage);
    times.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    if (outcome !== 'edited') throw new Error(`the 200 KB config was not edited: ${outcome}`);
    const parsed = performance.now();
    JSON.parse(json);
    parse.push(performance.now() - parsed);
  }
  // A real `config set` runs the editor once per process, always cold (nothing optimised yet):
  // the same edit, once, in each of 20 fresh processes.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epiloop-bench-edit-'));
  const cold = [];
  try {
    const file = (name) => JSON.stringify(path.join(dir, name));
    writeFileSync(path.join(dir, 'edit.mjs'), bundled.outputFiles[0].text);
    writeFileSync(path.join(dir, 'config.json5'), text);
    writeFileSync(path.join(dir, 'config.json'), json);
    const once = `import { readFileSync } from 'node:fs';
      const { editConfig } = await import(${file('edit.mjs')});
      const text = readFileSync(${file('config.json5')}, 'utf8');
      const next = JSON.parse(readFileSync(${file('config.json')}, 'utf8'));
      next.gateway.port = 19000;
      next.plugins.added0 = { enabled: false };
      const started = performance.now();
      const { outcome } = editConfig(text, next);
      const ms = performance.now() - started;
      if (outcome !== 'edited') throw new Error(outcome);
      process.stdout.write(String(ms));`;
    for (let i = 0; i < 20; i++) {
      const run = spawnSync(node, ['--input-type=module', '-e', once], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`the cold edit failed: ${run.stderr.trim().split('\n').pop()}`);
      cold.push(Number(run.stdout));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    { name: 'config set gateway.bind (writes)', value: median(bind), unit: 'ms' },
    { name: 'config set gateway.bind ÷ bare node', value: median(bind) / median(bare), unit: '×', goal: 2 },
    { name: 'config set gateway.port (live port checks, writes) ÷ bare node', value: median(port) / median(bare), unit: '×' },
    { name: `edit of a ${(text.length / 1024).toFixed(0)} KB config: port + a new key (p50)`, value: median(times), unit: 'ms', goal: 20 },
    { name: `edit of a ${(text.length / 1024).toFixed(0)} KB config: port + a new key (p95)`, value: percentile(times, 95), unit: 'ms', goal: 20 },
    { name: `edit of a ${(text.length / 1024).toFixed(0)} KB config, CPU time (p50)`, value: median(cpu), unit: 'ms' },
    { name: `edit of a ${(text.length / 1024).toFixed(0)} KB config, once per fresh process (cold; p50 of 20)`, value: median(cold), unit: 'ms' },
    { name: `edit of a ${(text.length / 1024).toFixed(0)} KB config, once per fresh process (cold; p95 of 20)`, value: percentile(cold, 95), unit: 'ms' },
    { name: `JSON.parse of the same config as JSON, for scale (p50)`, value: median(parse), unit: 'ms' },
  ];
}
