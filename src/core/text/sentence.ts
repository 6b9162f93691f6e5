/** Words that a line of their own makes a sentence of: a capital first, a full stop last. Pure. */
export function asSentence(words: string): string {
  return `${capitalised(words)}.`;
}

/** Words that begin a sentence: a capital first. */
export function capitalised(words: string): string {
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}
