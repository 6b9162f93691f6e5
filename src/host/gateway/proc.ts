import { readFile } from 'node:fs/promises';

/** Fields 3… of /proc/<pid>/stat (state, ppid, …), split after the command name, which may hold spaces and parentheses. Null off Linux or when the process is gone. */
async function statFields(pid: number): Promise<string[] | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return text === null ? null : text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Field 22, the start time in clock ticks since boot: together with the pid, it names one process for good. */
export async function processStartOf(pid: number): Promise<string | null> {
  return (await statFields(pid))?.[19] ?? null;
}

export async function parentPidOf(pid: number): Promise<number | null> {
  const ppid = Number((await statFields(pid))?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

/** Alive and not a zombie: an exited child that its (new) parent has not reaped yet still answers kill(pid, 0). */
export async function isRunning(pid: number, alive: (pid: number) => boolean): Promise<boolean> {
  if (!alive(pid)) return false;
  const state = (await statFields(pid))?.[0];
  return state !== 'Z' && state !== 'X';
}
