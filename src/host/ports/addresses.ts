import os from 'node:os';

/** The addresses of this host's interfaces, as Node lists them: the one home the gateway and doctor ask. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}
