/**
 * The one "did you mean": of a command, an option, a config key. Pure.
 * A candidate within two edits of what was typed wins; failing that, one that starts the way
 * it does (intervalSeconds → intervalMs, retry → retries): a unit or an ending written
 * another way is a near miss that no edit count of two catches.
 */
export function suggest(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ?? sameStart(input, candidates);
}

/** The candidate sharing the longest start with `input`: at least 4 characters and half the shorter word ("max" alone says nothing). */
function sameStart(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestLength = 0;
  for (const candidate of candidates) {
    const shared = commonStart(input.toLowerCase(), candidate.toLowerCase());
    if (shared >= 4 && shared * 2 >= Math.min(input.length, candidate.length) && shared > bestLength) {
      best = candidate;
      bestLength = shared;
    }
  }
  return best;
}

function commonStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
