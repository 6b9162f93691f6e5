/** `epiloop top` on a real terminal: a resize clears the screen before Ink redraws, as the wizard's does. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TopIO } from '../../src/ui/top/io';

vi.mock('ink', async (original) => ({
  ...(await original<typeof import('ink')>()),
  // Ink stands in: the terminal is resized while top is drawn, then q.
  render: vi.fn(() => {
    process.stdout.emit('resize');
    return { waitUntilExit: async () => undefined };
  }),
}));

const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const io = {} as TopIO;

afterEach(() => vi.restoreAllMocks());

describe('runTop', () => {
  it('clears the screen on a resize (the terminal re-wrapped the old frame; erasing it line by line left a stale strip at 40×12), and stops listening once it exits', async () => {
    const { runTop } = await import('../../components/top/run');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const listening = process.stdout.listenerCount('resize');
    await runTop(io, '/home/u');
    expect(write).toHaveBeenCalledWith(CLEAR_SCREEN);
    expect(process.stdout.listenerCount('resize')).toBe(listening);
  });
});
