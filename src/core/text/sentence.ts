/** Words that a line of their own makes a sentence of: a capital first, a full stop last. Pure. */
export function asSentence(words: string): string {
  return `${capitalised(words)}.`;
}

/** Words that begin a sentence: a capital first. */
export function capitalised(words: string): string {
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
