/**
 * JSON5.parse, the one way epiloop calls it. json5 prints a warning of its own to stderr
 * (console.warn) for a raw U+2028 or U+2029 inside a string — valid JSON5, read the same
 * either way — once per parse, so one `config set` printed four lines no one asked for.
 */
import JSON5 from 'json5';

const SEPARATORS = /[\u2028\u2029]/;

export function parseJson5Text(text: string): unknown {
  if (!SEPARATORS.test(text)) return JSON5.parse(text);
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return JSON5.parse(text);
  } finally {
    console.warn = warn;
  }
}

/**
 * A value as a message shows it: JSON, unless it holds a number JSON has no word for
 * (Infinity, -Infinity, NaN: JSON writes null) — then as JSON5, which has them and in which
 * the config is written.
 */
export function formatValue(value: unknown): string {
  let lossy = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) lossy = true;
    return v;
  });
  return lossy ? JSON5.stringify(value, { quote: '"' }) : json;
}
