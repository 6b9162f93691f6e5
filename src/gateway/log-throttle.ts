/**
 * Lines a client can cause (refused upgrades, wrong Host, handler failures) must not flood a
 * log that nothing rotates: per reason, the first line of a window is written, the rest are
 * counted, and one line at the end of the window says how many were left out.
 */
export function createThrottledLog(log: (line: string) => void, windowMs: number) {
  const windows = new Map<string, { suppressed: number; timer: NodeJS.Timeout }>();

  function summarise(reason: string): void {
    const open = windows.get(reason);
    if (open === undefined) return;
    clearTimeout(open.timer);
    windows.delete(reason);
    if (open.suppressed > 0) log(`${reason}: ${open.suppressed} more in the last ${Math.round(windowMs / 1000)} s, not logged one by one`);
  }

  return {
    /** `reason` groups the lines and names them in the summary; `text` is the line written when it is the first of its window. */
    line(reason: string, text: string): void {
      const open = windows.get(reason);
      if (open !== undefined) {
        open.suppressed++;
        return;
      }
      log(text);
      windows.set(reason, { suppressed: 0, timer: setTimeout(() => summarise(reason), windowMs).unref() });
    },
    /** Writes every pending count now: the gateway is stopping. */
    flush(): void {
      for (const reason of [...windows.keys()]) summarise(reason);
    },
  };
}

export type ThrottledLog = ReturnType<typeof createThrottledLog>;
