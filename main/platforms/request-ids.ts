import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request ids platforms return, collected for the work that asks (an evidence export lists
 * the ids of the calls that found and fetched each clip, so a platform's support can trace them).
 * Only calls made inside `collectRequestIds` are looked at; elsewhere noting costs nothing.
 */
const scope = new AsyncLocalStorage<Set<string>>();

export async function collectRequestIds<T>(work: () => Promise<T>): Promise<{ result: T; requestIds: string[] }> {
  const ids = new Set<string>();
  const result = await scope.run(ids, work);
  return { result, requestIds: [...ids] };
}

const HEADERS = ['x-request-id', 'x-acs-request-id', 'requestid', 'x-tc-requestid'];
const BODY = [/"(?:RequestId|requestId|request_id)"\s*:\s*"([^"\\]{1,128})"/, /<RequestId>([^<]{1,128})<\/RequestId>/];

/** Notes a reply's request id (header, or the JSON/XML body's RequestId) for the collecting work, if any. */
export function noteRequestId(headers: Headers, text: string): void {
  const ids = scope.getStore();
  if (!ids) return;
  for (const h of HEADERS) {
    const v = headers.get(h);
    if (v) return void ids.add(v.slice(0, 128));
  }
  const head = text.slice(0, 65_536);
  for (const re of BODY) {
    const m = re.exec(head);
    if (m) return void ids.add(m[1]!);
  }
}
