import { describe, expect, it } from 'vitest';
import { parseProcNetTcp } from '../../src/core/ports/listeners';

// In the kernel's format (the fd00::2 line captured from this host): a header, LISTEN sockets (st 0A), an ESTABLISHED one (01) and a TIME_WAIT (06).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:4E21 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48213 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1934 1 0000000000000000 100 0 0 10 0
   2: 0101A8C0:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7731 1 0000000000000000 100 0 0 10 0
   3: 0100007F:4E21 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 48377 1 0000000000000000 20 4 30 10 -1
   4: 0100007F:8F3A 0100007F:4E21 06 00000000:00000000 03:00000D5A 00000000     0        0 0 3 0000000000000000
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:4E22 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48250 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1936 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7800 1 0000000000000000 100 0 0 10 0
   3: 000080FE00000000FF00FC00010000FE:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7801 1 0000000000000000 100 0 0 10 0
   4: 000000FD000000000000000002000000:1F94 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7803 1 0000000000000000 100 0 0 10 0
   5: B80D0120000000000000000001000000:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7802 1 0000000000000000 100 0 0 10 0
   6: 00000000000000000000000001000000:4E22 00000000000000000000000001000000:C350 01 00000000:00000000 00:00000000 00000000  1000        0 48390 1 0000000000000000 20 4 30 10 -1
`;

describe('parseProcNetTcp', () => {
  it('keeps only LISTEN sockets and decodes IPv4 addresses', () => {
    expect(parseProcNetTcp(TCP, 4)).toEqual([
      { port: 20001, address: '127.0.0.1', family: 4, inode: 48213 },
      { port: 22, address: '0.0.0.0', family: 4, inode: 1934 },
      { port: 8080, address: '192.168.1.1', family: 4, inode: 7731 },
    ]);
  });

  it('decodes IPv6 words into compressed text form, mapped IPv4 included', () => {
    expect(parseProcNetTcp(TCP6, 6)).toEqual([
      { port: 20002, address: '::1', family: 6, inode: 48250 },
      { port: 22, address: '::', family: 6, inode: 1936 },
      { port: 8081, address: '::ffff:127.0.0.1', family: 6, inode: 7800 },
      { port: 8082, address: 'fe80::fc:ff:fe00:1', family: 6, inode: 7801 },
      { port: 8084, address: 'fd00::2', family: 6, inode: 7803 },
      { port: 8083, address: '2001:db8::1', family: 6, inode: 7802 },
    ]);
  });

  it('compresses only the longest run of zero groups, and never a single one', () => {
    // 1:0:0:2:0:0:0:3 and 1:2:3:4:5:6:0:8, each 16-bit group written as its little-endian 32-bit word
    const line = (hex: string) => `0: ${hex}:0050 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 9`;
    expect(parseProcNetTcp(line('00000100020000000000000003000000'), 6)[0]?.address).toBe('1:0:0:2::3');
    expect(parseProcNetTcp(line('02000100040003000600050008000000'), 6)[0]?.address).toBe('1:2:3:4:5:6:0:8');
  });

  it('returns nothing for empty, header-only or malformed text', () => {
    expect(parseProcNetTcp('', 4)).toEqual([]);
    expect(parseProcNetTcp(TCP.split('\n')[0]!, 4)).toEqual([]);
    expect(parseProcNetTcp('0: nothex:0016 00000000:0000 0A 0:0 0:0 0 0 0 1', 4)).toEqual([]);
    expect(parseProcNetTcp(TCP6, 4)).toEqual([]);
  });

  it('tells a LISTEN line by its state field alone, whatever else holds "0A" and however the fields are spaced', () => {
    // 10.0.0.10:2570 to 10.0.0.10:10: every hex field holds 0A, but the state is 01 (established).
    const established = '   7: 0A00000A:0A0A 0A00000A:000A 01 0000000A:0000000A 00:0000000A 0000000A  1000        0 4242 1 000000000000000A 20 4 30 10 -1';
    const tabbed = '8:\t0100007F:4E23\t00000000:0000\t0A\t00000000:00000000\t00:00000000\t00000000\t0\t0\t4343';
    expect(parseProcNetTcp([established, tabbed].join('\n'), 4)).toEqual([{ port: 0x4e23, address: '127.0.0.1', family: 4, inode: 4343 }]);
  });
});
