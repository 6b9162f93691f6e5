import { Text } from 'ink';

/** A one-line text field; the cursor is drawn as a block so it shows without colour too. */
export function Field({ label, text, width }: { label: string; text: string; width: number }) {
  const room = Math.max(10, width - label.length - 4);
  const visible = text.length > room ? `…${text.slice(text.length - room + 1)}` : text;
  return (
    <Text wrap="truncate-end">
      {label} <Text color="cyan">› {visible}</Text>
      <Text inverse> </Text>
    </Text>
  );
}
