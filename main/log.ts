/**
 * Main's logger. Every line passes through `redact`, which replaces any secret main has
 * registered (keychain values, tokens) and anything that looks like a credential field.
 */
const secrets = new Set<string>();

/** Register a value that must never be printed (called when a secret enters main's memory). */
export function registerSecret(value: string): void {
  if (value.length >= 4) secrets.add(value);
}

export function forgetSecret(value: string): void {
  secrets.delete(value);
}

/**
 * Credential fields, as JSON, headers or query parameters (also percent-encoded, as a play URL
 * inside another request's query). The names inside other names catch txSecret, hwSecret,
 * q-signature, X-Amz-Signature and X-Amz-Security-Token too (and secret_key, Huawei VIS's push
 * key reply; private_key, a TLS key pasted into an error); the short ones must stand alone (a
 * whole name, after `?`/`&` plain or encoded): Huawei's sk (the secret of an AK/SK pair; inside
 * other names it is task=, disk:, mask), Alibaba CDN's auth_key, Tencent download's res (resource
 * token) and sign.
 */
const credentialPattern =
  /((?:secret|password|passwd|token|signature|accesskeysecret|secret_?key|private_?key|authorization|(?<=^|[^a-z0-9_]|%3f|%26)(?:sk|auth_key|sign|res))["']?\s*(?:[:=]|%3d)\s*["']?)([^"'&\s,}]+)/gi;

/**
 * A PEM private key, whole (its body has spaces and line ends the field pattern stops at), or from
 * its BEGIN line to the end where a message was cut before its END line.
 */
const pemPrivateKey = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)/g;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out.replace(pemPrivateKey, '[private key]').replace(credentialPattern, '$1***');
}

function format(args: unknown[]): string {
  return args
    .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : safeJson(a)))
    .join(' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidi controls in logged text,
 * written as escapes: a logged value (a broker topic, a platform's message) cannot start a line of
 * its own, move the terminal's cursor or reorder what is shown.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const unsafe = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControls(text: string): string {
  return text.replace(unsafe, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.VIGIL_LOG_LEVEL as Level) ?? 'info'] ?? order.info;

function write(level: Level, args: unknown[]): void {
  if (order[level] < threshold) return;
  // Redacted first: a secret is matched as it was registered, before any escaping changes it.
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${escapeControls(redact(format(args)))}\n`);
}

export const log = {
  debug: (...a: unknown[]) => write('debug', a),
  info: (...a: unknown[]) => write('info', a),
  warn: (...a: unknown[]) => write('warn', a),
  error: (...a: unknown[]) => write('error', a),
};
