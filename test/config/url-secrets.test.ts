import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskUrl, maskUrlsIn, maskUrlValue } from '../../src/core/config/url-secrets';
import { fingerprint, maskSecrets, maskValue } from '../../src/core/config/secrets';

describe('maskUrl', () => {
  it('hides the user and password, every query value, the fragment and the path tokens, and keeps scheme, host and port', () => {
    expect(maskUrl('https://bob:hunter2@ntfy.example.com:8443/alerts-7f3k?auth=tk_9x&x=1#frag')).toBe('https://***@ntfy.example.com:8443/***?auth=***&x=***#***');
    expect(maskUrl('https://ntfy.sh/epiloop-main-s3cr3t')).toBe('https://ntfy.sh/***');
    expect(maskUrl('https://hooks.slack.com/services/T0001/B0002/XXXXyyyyZZZZ')).toBe('https://hooks.slack.com/services/***/***/***');
    expect(maskUrl('https://discord.com/api/webhooks/123/abc')).toBe('https://discord.com/api/webhooks/***/***');
    expect(maskUrl('http://TOKEN123@127.0.0.1:9/')).toBe('http://***@127.0.0.1:9/');
  });

  it('hides a query parameter whole when its key could itself be the secret', () => {
    expect(maskUrl('https://example.com/?s3cr3t')).toBe('https://example.com/?***');
  });

  it('leaves a URL without secrets byte for byte as it is', () => {
    for (const url of ['http://127.0.0.1:18791', 'https://example.com/', 'ws://[::1]:9222']) expect(maskUrl(url)).toBe(url);
  });

  it('never lets a secret through, wherever in the URL it sits', () => {
    // A secret is not a word the rest of the URL or the sentence holds anyway ("example", "services").
    const around = 'https://me@example.com/services/T1/hook?token=#POST failed.';
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{6,24}$/).filter((s) => !['services', 'webhooks'].includes(s.toLowerCase()) && !around.includes(s));
    fc.assert(
      fc.property(secret, fc.constantFrom('user', 'password', 'path', 'deep-path', 'query', 'fragment'), (s, where) => {
        const url = {
          user: `https://${s}@example.com/`,
          password: `https://me:${s}@example.com/`,
          path: `https://example.com/${s}`,
          'deep-path': `https://example.com/services/T1/${s}`,
          query: `https://example.com/hook?token=${s}`,
          fragment: `https://example.com/#${s}`,
        }[where];
        expect(maskUrl(url)).not.toContain(s);
        expect(maskUrlsIn(`POST ${url} failed.`)).not.toContain(s);
      }),
    );
  });
});

describe('maskUrlsIn and maskUrlValue', () => {
  it('masks every URL in a line and keeps the sentence around it', () => {
    expect(maskUrlsIn('POST https://ntfy.sh/topic9 failed (see http://u:p@h/x?a=b).')).toBe('POST https://ntfy.sh/*** failed (see http://***@h/***?a=***).');
    expect(maskUrlsIn('  "url": "https://hooks.slack.com/services/T/B/C",')).toBe('  "url": "https://hooks.slack.com/services/***/***/***",');
  });

  it('hides a value that is not even a URL whole, saying only its length', () => {
    expect(maskUrlValue('ntfy.sh/my-topic')).toBe('‹16 characters hidden›');
    expect(maskUrlValue('ftp://u:p@host/x')).toBe('ftp://***@host/***');
  });

  it('is part of maskSecrets, so config excerpts and diffs never show a webhook secret', () => {
    expect(maskSecrets('"alerts": [{ "type": "webhook", "url": "https://ntfy.sh/s3cret-topic" }], "token": "abcdefghijklmnopqrst"')).toBe(
      `"alerts": [{ "type": "webhook", "url": "https://ntfy.sh/***" }], "token": "‹20 characters hidden, #${fingerprint('abcdefghijklmnopqrst')}›"`,
    );
  });
});

describe('fingerprint and maskValue (what mutation testing found unchecked)', () => {
  it('fingerprints a token as FNV-1a, 32 bits, always eight hex digits', () => {
    // The published FNV-1a test vectors.
    expect(fingerprint('')).toBe('811c9dc5');
    expect(fingerprint('a')).toBe('e40c292c');
    expect(fingerprint('foobar')).toBe('bf9cf968');
    // A hash below 0x10000000 keeps its leading zero.
    expect(fingerprint('token-438')).toBe('0f32a7a0');
  });

  it('masks a value as config get prints it: a token by its length and fingerprint, URL secrets, at any depth', () => {
    const masked = `‹9 characters hidden, #${fingerprint('token-438')}›`;
    expect(maskValue('token-438', 'token')).toBe(masked);
    expect(maskValue('https://ntfy.sh/s3cret-topic', 'url')).toBe('https://ntfy.sh/***');
    expect(maskValue('token-438', 'name')).toBe('token-438');
    expect(
      maskValue(
        { gateway: { port: 18789, auth: { token: 'token-438' } }, watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/s3cret-topic' }], profiles: ['main', 'token'] }, bind: null, on: true },
        undefined,
      ),
    ).toEqual({ gateway: { port: 18789, auth: { token: masked } }, watch: { alerts: [{ type: 'webhook', url: 'https://ntfy.sh/***' }], profiles: ['main', 'token'] }, bind: null, on: true });
    // A token of the wrong kind is a secret all the same: its strings and numbers are hidden (token-secrets.test.ts).
    expect(maskValue(['token-438', 18789, null], 'token')).toEqual([masked, `‹5 characters hidden, #${fingerprint('18789')}›`, null]);
    for (const value of [true, null, undefined]) expect(maskValue(value, 'token')).toBe(value);
  });
});

describe('a webhook url that is no URL (it may hold a secret all the same)', () => {
  it('is hidden whole by config get and in diffs, a URL in it or not', () => {
    expect(maskValue('ntfy.sh/TOPIC3?auth=Q3', 'url')).toBe('‹22 characters hidden›');
    expect(maskValue({ type: 'webhook', url: 'notaurl SECRETWORD' }, 1)).toEqual({ type: 'webhook', url: '‹18 characters hidden›' });
    expect(maskSecrets(`      url: "ntfy.sh/TOPIC3?auth=Q3",`)).toBe(`      url: "‹22 characters hidden›",`);
    expect(maskSecrets(`{ "type": "webhook", "url": 'notaurl SECRETWORD' }`)).toBe(`{ "type": "webhook", "url": '‹18 characters hidden›' }`);
    // A URL keeps its shape; other keys ending in "Url" are no webhook.
    expect(maskSecrets(`url: "https://u:p@ntfy.sh/t?auth=q", controlUrl: "http://127.0.0.1:18791"`)).toBe(`url: "https://***@ntfy.sh/***?auth=***", controlUrl: "http://127.0.0.1:18791"`);
  });
});
