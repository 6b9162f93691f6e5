/**
 * The numbers of a config value as its text writes them: a token of 22 digits reads as a
 * rounded number (1.2345678901234568e+21), and a mask's fingerprint, like `--show-secrets`,
 * must come from the text the file holds, as the diffs' does. Pure.
 */
import { type KeyPath } from './keypath';
import { parseSyntax, type SyntaxDoc, type SyntaxNode } from './syntax';

/** By a value's path (the whole config's), the text of the number there as written; undefined where the text has none. */
export type WrittenNumbers = (path: KeyPath) => string | undefined;

/** The numbers of the value at `at` in a config file's text (none when the text does not parse). */
export function writtenNumbers(text: string, at: KeyPath): WrittenNumbers {
  const found = new Map<string, string>();
  const doc = parseSyntax(text);
  const node = doc === null ? undefined : nodeAt(doc.root, at);
  if (node !== undefined) collect(doc!, node, at, found);
  return (path) => found.get(JSON.stringify(path));
}

/** The numbers of a value given as JSON5 text (config set's argument), to be set at `at`. */
export function writtenValueNumbers(text: string, at: KeyPath): WrittenNumbers {
  // The line end: a comment may end the text.
  const written = writtenNumbers(`{"v":${text}\n}`, ['v']);
  // A mask asks only for paths under `at`.
  return (path) => written(['v', ...path.slice(at.length)]);
}

/** The node the json5 package reads at `path`: an object's last member of a key. */
function nodeAt(root: SyntaxNode, path: KeyPath): SyntaxNode | undefined {
  let node: SyntaxNode | undefined = root;
  for (const key of path) {
    if (node === undefined || node.kind === 'scalar') return undefined;
    // An index names a list's item (a path getAtPath found), a key an object's member (a list's have none).
    node = typeof key === 'number' ? node.members[key]?.value : node.members.findLast((m) => m.key === key)?.value;
  }
  return node;
}

function collect(doc: SyntaxDoc, node: SyntaxNode, path: KeyPath, found: Map<string, string>): void {
  // Every scalar's text: a mask asks only for those of numbers.
  if (node.kind === 'scalar') {
    found.set(JSON.stringify(path), doc.tokens.text(node.first));
    return;
  }
  // Of two equal keys the later one's numbers are set last: the ones json5 reads.
  node.members.forEach((m, i) => collect(doc, m.value, [...path, node.kind === 'object' ? m.key! : i], found));
}
