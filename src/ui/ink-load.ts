import { inkReady } from './ink-ready';

/**
 * Loads the Ink screens with the global `fetch` hidden, and resolves once Ink can draw. Ink's
 * layout engine (yoga) decodes its WebAssembly through `fetch` whenever one exists, and the
 * first touch of it loads Node's whole HTTP client (undici): 50–120 ms before the first
 * frame, for a module that is inlined as base64 anyway. Without `fetch`, yoga decodes it in
 * place. Nothing of epiloop uses `fetch` (its HTTP goes through node:http), and the global is
 * put back as it was.
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (saved === undefined || saved.configurable !== true) return ready(load);
  Object.defineProperty(globalThis, 'fetch', { value: undefined, writable: true, enumerable: saved.enumerable ?? true, configurable: true });
  try {
    return await ready(load);
  } finally {
    Object.defineProperty(globalThis, 'fetch', saved);
  }
}

async function ready<T>(load: () => Promise<T>): Promise<T> {
  const loaded = await load();
  await inkReady();
  return loaded;
}
