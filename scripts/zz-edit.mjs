import path from 'node:path';
import { bigConfig } from './bench/config.mjs';
const { build } = await import('esbuild');
const root = process.cwd();
const bundled = await build({ entryPoints: [path.join(root, 'src/core/config/edit.ts')], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, logLevel: 'error' });
const { editConfig } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const JSON5 = (await import('json5')).default;
const text = bigConfig();
const raw = JSON5.parse(text);
const times = [];
for (let run = 0; run < 40; run++) {
  const next = structuredClone(raw);
  next.gateway.port = 19000 + run;
  next.plugins[`added${run}`] = { enabled: false };
  const started = performance.now();
  editConfig(text, next);
  times.push(performance.now() - started);
}
console.log(times.map((t) => t.toFixed(0)).join(' '));
const s = [...times].sort((a, b) => a - b); console.log('p50', s[19].toFixed(1), 'p95', s[37].toFixed(1));
