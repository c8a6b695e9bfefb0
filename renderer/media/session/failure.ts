/**
 * Why a player failed, in a word the UI can say (pure): engines report things like
 * `networkError: levelLoadTimeOut` or `networkError: manifestLoadError (HTTP 404)`, which mean
 * nothing to an operator.
 */
export type FailureWhy = 'notFound' | 'refused' | 'serverError' | 'timeout' | 'network' | 'other';

export function failureWhy(reason: string): { why: FailureWhy; status?: number } {
  const m = /\bHTTP (\d{3})\b/.exec(reason);
  const status = m ? Number(m[1]) : undefined;
  const withStatus = (why: FailureWhy) => (status === undefined ? { why } : { why, status });
  if (status === 404 || status === 410) return withStatus('notFound');
  if (status === 401 || status === 403) return withStatus('refused');
  if (status !== undefined && status >= 500) return withStatus('serverError');
  if (/time ?out|timed out|within \d+(?:\.\d+)? s/i.test(reason)) return withStatus('timeout');
  if (/network|fetch|ECONN|socket|closed the connection|stalled/i.test(reason)) return withStatus('network');
  return withStatus('other');
}

/** A live pane says why it has no picture from this many failures in a row (before: "Reconnecting"). */
export const LIVE_SAY_WHY_AFTER = 3;
