/**
 * A step's body as terminal lines: each element draws exactly one line (wrapped before it is
 * drawn), so the frame knows the body's height and can scroll it without cutting a word.
 */
import { Text } from 'ink';
import type { ReactElement } from 'react';
import { wrapAll, wrapText } from '../src/core/text/wrap';
import type { Line } from '../src/core/wizard/words';
import type { Focus } from '../src/core/wizard/view';
import { TONE } from './Toned';

export type Style = { color?: string; dimColor?: boolean; bold?: boolean };

/** A body line by line; `focus` is the span that must stay on screen (the cursor's row, the field being typed, its error). */
export interface Body {
  rows: ReactElement[];
  focus: Focus | null;
}

export const blankRow = (): ReactElement => <Text> </Text>;

/** Text wrapped between words at the terminal's width, each continuation under its own start (or `hang` columns). */
export function textRows(text: string, width: number, style: Style = {}, hang?: number): ReactElement[] {
  return wrapText(text === '' ? ' ' : text, width, hang).map((l) => <Text {...style}>{l}</Text>);
}

/** Body lines in their tones, wrapped under their values (wrapAll). */
export function toneRows(lines: readonly Line[], width: number): ReactElement[] {
  return wrapAll(lines, width).map((l) => <Text {...TONE[l.tone]}>{l.text === '' ? ' ' : l.text}</Text>);
}

/**
 * A row whose head (a cursor, a mark, a label: parts in their own styles) stays on the first
 * line, and whose rest wraps under the column after the head.
 */
export function headedRows(head: readonly { text: string; style?: Style }[], rest: string, width: number, restStyle: Style = {}): ReactElement[] {
  const headText = head.map((part) => part.text).join('');
  const lines = wrapText(headText + rest, width, headText.length);
  return [
    <Text>
      {head.map((part, i) => (
        <Text key={i} {...part.style}>
          {part.text}
        </Text>
      ))}
      <Text {...restStyle}>{lines[0]!.slice(headText.length)}</Text>
    </Text>,
    ...lines.slice(1).map((l) => <Text {...restStyle}>{l}</Text>),
  ];
}

/** Builds a body part by part, noting where the focus is. */
export class BodyRows {
  readonly rows: ReactElement[] = [];
  focus: Body['focus'] = null;

  /** `focus: 'answer'`: what a key just answered (an error): where the focus is too tall, these lines show. */
  add(rows: readonly ReactElement[], options: { focus?: boolean | 'answer' } = {}): this {
    if (options.focus && rows.length > 0) this.focusOn(this.rows.length, this.rows.length + rows.length - 1, options.focus === 'answer');
    this.rows.push(...rows);
    return this;
  }

  /** A blank line between parts (none at the very top). */
  gap(): this {
    if (this.rows.length > 0) this.rows.push(blankRow());
    return this;
  }

  /** Widens the focus to take in these lines too. */
  focusOn(from: number, to: number, tail = false): void {
    this.focus = this.focus === null ? { from, to, tail } : { from: Math.min(this.focus.from, from), to: Math.max(this.focus.to, to), tail: this.focus.tail || tail };
  }

  body(): Body {
    return { rows: this.rows, focus: this.focus };
  }
}
