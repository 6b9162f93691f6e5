/**
 * Resolves once Ink can draw. Run from source, Ink's layout engine (yoga) is ready when its
 * module is, through its own top-level await. The CommonJS bundle has no top-level await:
 * scripts/build.mjs replaces this module with one that awaits yoga's WebAssembly there.
 */
export function inkReady(): Promise<void> {
  return Promise.resolve();
}
