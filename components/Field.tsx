import { Text } from 'ink';
import type { ReactElement } from 'react';

/** A one-line text field; the cursor is drawn as a block so it shows without colour too. A long text shows its end. */
export function fieldRows(label: string, text: string, width: number): ReactElement[] {
  const room = Math.max(10, width - label.length - 4);
  const visible = text.length > room ? `…${text.slice(text.length - room + 1)}` : text;
  return [
    <Text wrap="truncate-end">
      {label} <Text color="cyan">› {visible}</Text>
      <Text inverse> </Text>
    </Text>,
  ];
}
