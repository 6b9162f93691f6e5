/**
 * Loads a package that is only an ES module (execa, @inquirer/prompts) or a built-in module
 * wanted late (node:https, node:readline). Run from source this is `import()`. In the build,
 * dist/main.js is compiled through vm (src/host/bundle.ts), where `import()` needs a flag, so
 * scripts/build.mjs replaces this module with one that calls the loader's own `import()`.
 */
export function importEsm<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
