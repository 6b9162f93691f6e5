// Bundles src/cli.ts into dist/: one small entry for the fast commands, and lazily
// loaded chunks per command. The heavy packages stay external and are imported only by
// the commands that need them; Ink and React are bundled (production build) into the
// wizard's chunk instead, since loading them file by file costs the wizard ~300 ms.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const heavy = ['react-dom', 'execa', '@inquirer/*', 'ink-*', 'ws'];
// Ink imports React's devtools only when DEV=true; the bundle must not need the package.
const noDevtools = {
  name: 'no-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};' }));
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

// Build beside dist/ and swap it in, so a test running the CLI never sees half a build.
const staging = new URL(`dist.${process.pid}/`, root);
const result = await build({
  entryPoints: ['src/cli.ts'],
  outdir: staging.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  external: heavy,
  plugins: [noDevtools, fastTextWidth],
  define: { __EPILOOP_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __epiloopRequire } from 'node:module'; const require = __epiloopRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  // Whitespace and syntax only: names stay readable in the stack trace of a bug report.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
});
const old = new URL(`dist.old.${process.pid}/`, root);
await rename(new URL('dist/', root), old).catch(() => {});
await rename(staging, new URL('dist/', root));
await rm(old, { recursive: true, force: true });
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
