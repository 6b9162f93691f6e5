/** The line modes (--non-interactive, --plain) print the same lines the wizard draws, with the CLI's own colours. */
import type { Output } from '../output';
import type { Line, Tone } from '../../core/wizard/words';

export function paint(out: Output, tone: Tone): (text: string) => string {
  switch (tone) {
    case 'dim':
      return out.dim;
    case 'heading':
      return out.bold;
    case 'good':
    case 'added':
      return out.green;
    case 'bad':
    case 'removed':
      return out.red;
    case 'warn':
      return out.yellow;
    case 'accent':
      return out.cyan;
    case 'plain':
      return (text) => text;
  }
}

export function printLines(out: Output, lines: readonly Line[]): void {
  for (const line of lines) out.line(paint(out, line.tone)(line.text));
}
