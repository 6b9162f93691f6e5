// Bundles epiloop into dist/ as CommonJS, three files:
// - dist/cli.js: the entry. `--version` alone answers there; anything else requires main.js.
// - dist/main.js: every epiloop module (src/ and components/), one file. Node's ES-module
//   loader costs ~70 ms of CPU on the ~30 chunks a split ESM build needed for `list`;
//   require() of one file does not (measured: list 340 -> 270 ms CPU). Modules that a
//   command does not use are wrapped by esbuild and initialised only when first required.
// - dist/ui.js: Ink and React (production build), required only by the screens that draw
//   (the wizard and top), so no other command parses them.
// The packages that stay external (execa, @inquirer/prompts, ws) are loaded on first use.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const heavy = ['react-dom', 'execa', '@inquirer/*', 'ink-*', 'ws'];
const define = { __EPILOOP_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__epiloopModuleUrl' };
// import.meta.url has no CommonJS meaning; the few modules that ask for it get this file's URL.
const banner = { js: "const __epiloopModuleUrl = require('node:url').pathToFileURL(__filename).href;" };
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  define,
  banner,
  // Whitespace and syntax only: names stay readable in the stack trace of a bug report.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
};

// Ink imports React's devtools only when DEV=true; the bundle must not need the package.
const noDevtools = {
  name: 'no-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};' }));
  },
};

/** Replaces `from` in a package file's source, failing the build when the line is not there. */
async function patched(file, replacements) {
  let source = await readFile(file, 'utf8');
  for (const [from, to] of replacements) {
    if (!source.includes(from)) throw new Error(`build: ${file} no longer contains ${JSON.stringify(from.slice(0, 60))}; update scripts/build.mjs for this version`);
    source = source.replace(from, to);
  }
  return source;
}

// CommonJS has no top-level await, and two of Ink's modules use it: its reconciler (only when
// DEV=true, for devtools this bundle leaves out) and yoga, whose WebAssembly instantiates
// asynchronously. Yoga's default export becomes an object filled in when that is done;
// src/ui/ink-load.ts awaits `yogaReady` (exported by ui.js) before the first frame.
const noTopLevelAwait = {
  name: 'no-top-level-await',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => ({
      contents: await patched(args.path, [
        ["await import('./devtools.js');", '/* React devtools are not in this build */'],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
      ]),
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, async (args) => ({
      contents: await patched(args.path, [
        [
          'const Yoga = wrapAssembly(await loadYoga());',
          'const Yoga = {};\nexport const yogaReady = loadYoga().then((lib) => { Object.assign(Yoga, wrapAssembly(lib)); });',
        ],
      ]),
      loader: 'js',
      resolveDir: args.path.replace(/[\\/][^\\/]*$/, ''),
    }));
  },
};

// Ink's packages measure every string with string-width, whose first string beyond ASCII
// compiles its emoji expression (~45 ms of a first frame): each copy they import answers
// through components/text-width.ts first, and measures only what that cannot.
const textWidth = new URL('components/text-width.ts', root).pathname;
const fastTextWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'string-width' };
    });
    // Its emoji expression is built when it is first needed, not when Ink loads (~22 ms): the
    // strings above never need it. Left as it is when the line is not there (another version).
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/, namespace: 'file' }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = String.raw`const rgiEmojiRegex = /^\p{RGI_Emoji}$/v;`;
      if (!source.includes(eager)) return undefined;
      const lazy = `let rgiEmoji; const rgiEmojiRegex = { test: (text) => (rgiEmoji ??= new RegExp(${JSON.stringify(String.raw`^\p{RGI_Emoji}$`)}, 'v')).test(text) };`;
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
    b.onLoad({ filter: /.*/, namespace: 'string-width' }, (args) => ({
      contents: [
        `import measured from ${JSON.stringify(args.path)};`,
        `import { simpleWidth } from ${JSON.stringify(textWidth)};`,
        'export default function stringWidth(text, options) { return simpleWidth(text, options) ?? measured(text, options); }',
      ].join('\n'),
      resolveDir: new URL('.', root).pathname,
      loader: 'js',
    }));
  },
};

// main.js reaches Ink and React through ui.js, so both screens share one React.
const UI_MODULES = { ink: 'ink', react: 'react', 'react/jsx-runtime': 'jsxRuntime' };
const throughUi = {
  name: 'through-ui',
  setup(b) {
    b.onResolve({ filter: /^(ink|react|react\/jsx-runtime)$/ }, (args) => ({ path: args.path, namespace: 'ui' }));
    b.onLoad({ filter: /.*/, namespace: 'ui' }, (args) => ({ contents: `module.exports = require('./ui.js').${UI_MODULES[args.path]};`, loader: 'js' }));
    // In the bundle, Ink is ready once yoga's WebAssembly is (see noTopLevelAwait).
    b.onLoad({ filter: /[\\/]src[\\/]ui[\\/]ink-ready\.ts$/ }, () => ({
      contents: "export function inkReady() { return require('./ui.js').yogaReady; }",
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/ui\.js$/ }, () => ({ path: './ui.js', external: true }));
    // vm-compiled code has no import() of its own: the loader's, given as __epiloopImport.
    b.onLoad({ filter: /[\\/]src[\\/]host[\\/]esm\.ts$/ }, () => ({
      contents: 'export function importEsm(specifier) { return __epiloopImport(specifier); }',
      loader: 'js',
    }));
  },
};

// Build beside dist/ and swap it in, so a test running the CLI never sees half a build.
const staging = new URL(`dist.${process.pid}/`, root);
const bundles = await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: new URL('main.js', staging).pathname, external: heavy, plugins: [throughUi, fastTextWidth] }),
  build({
    ...common,
    stdin: {
      contents: "export * as ink from 'ink'; export * as react from 'react'; export * as jsxRuntime from 'react/jsx-runtime'; export { yogaReady } from 'yoga-layout';",
      resolveDir: new URL('.', root).pathname,
      loader: 'js',
    },
    outfile: new URL('ui.js', staging).pathname,
    external: heavy,
    plugins: [noDevtools, noTopLevelAwait, fastTextWidth],
  }),
]);
// The entry knows each bundle's fingerprint: a compile cache is only ever used for the text it was made from.
const fingerprints = {};
for (const name of ['main.js', 'ui.js']) {
  fingerprints[name] = createHash('sha256').update(await readFile(new URL(name, staging))).digest('hex').slice(0, 16);
}
const entry = await build({
  ...common,
  entryPoints: ['src/entry.ts'],
  outfile: new URL('cli.js', staging).pathname,
  define: { ...define, __EPILOOP_BUILD__: JSON.stringify(fingerprints) },
});
const results = [...bundles, entry];
// main.js and ui.js run through vm (src/host/bundle.ts), whose code has no import() of its
// own: a package loaded late goes through src/host/esm.ts instead. An import() left in them
// would fail only when it runs, so it fails the build now.
for (const [file, output] of results.flatMap((r) => Object.entries(r.metafile.outputs))) {
  if (file.endsWith('/cli.js')) continue;
  const late = output.imports.filter((i) => i.kind === 'dynamic-import' && i.external);
  if (late.length > 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`build: ${file} imports ${late.map((i) => i.path).join(', ')} with import(); load it with importEsm (src/host/esm.ts)`);
  }
}
// The package is "type": "module"; these files are CommonJS.
await writeFile(new URL('package.json', staging), '{ "type": "commonjs" }\n');
const old = new URL(`dist.old.${process.pid}/`, root);
await rename(new URL('dist/', root), old).catch(() => {});
await rename(staging, new URL('dist/', root));
await rm(old, { recursive: true, force: true });
const outputs = results.flatMap((r) => Object.values(r.metafile.outputs));
const bytes = outputs.reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist/ (${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
