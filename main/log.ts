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
 * q-signature, X-Amz-Signature and X-Amz-Security-Token too; the short ones must stand alone (a
 * whole name, after `?`/`&` plain or encoded): Alibaba CDN's auth_key, Tencent download's res
 * (resource token) and sign.
 */
const credentialPattern =
  /((?:secret|password|passwd|token|signature|sk|accesskeysecret|secretkey|authorization|(?<=^|[^a-z0-9_]|%3f|%26)(?:auth_key|sign|res))["']?\s*(?:[:=]|%3d)\s*["']?)([^"'&\s,}]+)/gi;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out.replace(credentialPattern, '$1***');
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

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.VIGIL_LOG_LEVEL as Level) ?? 'info'] ?? order.info;

function write(level: Level, args: unknown[]): void {
  if (order[level] < threshold) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${redact(format(args))}\n`);
}

export const log = {
  debug: (...a: unknown[]) => write('debug', a),
  info: (...a: unknown[]) => write('info', a),
  warn: (...a: unknown[]) => write('warn', a),
  error: (...a: unknown[]) => write('error', a),
};
