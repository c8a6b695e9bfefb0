import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AccountConfig } from '../../../preload/contract';
import { registerSecret } from '../../log';
import { malformedReply, PlatformError } from '../errors';
import { exchange, parseJson, type Fetch, type HttpRequest } from '../http';
import { rpcTimestamp, signedQuery } from './sign';

export type VcsConfig = Extract<AccountConfig, { platform: 'aliyun-vcs' }>;

const PLATFORM = 'Alibaba Cloud VCS';
/** Spec §2.3: the text says 2020-03-09, the Explorer links and SDK say 2020-05-15 (the default). */
export const VCS_VERSION = '2020-05-15';
/** City Visual Intelligence Engine (seed 000) is a separate API family on its own version. */
export const CITYVISION_VERSION = '2018-10-30';

export interface RpcCall {
  action: string;
  params?: Record<string, string | number | boolean | undefined>;
  /** API family: decides the Version (both answer on the account's endpoint). */
  family?: 'vcs' | 'cityvision';
  /** Large Base64 values (UploadFile, SearchTarget) go as a form body (spec §1.3). */
  method?: 'GET' | 'POST';
  /** Reads are retried on network errors and 5xx; writes never are. */
  read: boolean;
}

const Envelope = z.looseObject({
  RequestId: z.string().optional(),
  Code: z.union([z.string(), z.number()]).optional(),
  Message: z.string().optional(),
  Success: z.boolean().optional(),
});

/**
 * Alibaba RPC client: common parameters (fresh CSPRNG nonce, Timestamp from an injectable clock),
 * signature v1, and the success rule of spec §1.4 — HTTP 2xx and `Success` absent/true and
 * `Code` absent/200/0/OK. `Code=Retry` (GetDeviceLiveUrl, on-demand pulling) is surfaced as a
 * PlatformError with vendorCode `Retry` so the adapter can poll.
 */
export class VcsClient {
  readonly baseUrl: string;

  constructor(
    readonly config: VcsConfig,
    private readonly accessKeySecret: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => number = Date.now,
    private readonly vcsVersion: string = VCS_VERSION,
  ) {
    this.baseUrl = config.endpoint.replace(/\/+$/, '');
    registerSecret(accessKeySecret);
  }

  /** The whole reply body (Actions put their payload in different fields), checked by `schema`. */
  async call<S extends z.ZodType>(schema: S, req: RpcCall): Promise<z.infer<S>> {
    const method = req.method ?? 'GET';
    const base: Record<string, string> = {
      Action: req.action,
      Format: 'JSON',
      Version: req.family === 'cityvision' ? CITYVISION_VERSION : this.vcsVersion,
      AccessKeyId: this.config.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
    };
    for (const [k, v] of Object.entries(req.params ?? {})) if (v !== undefined) base[k] = String(v);
    // Every attempt is a new request: fresh SignatureNonce and Timestamp, signed anew (seed 000 签名机制:
    // "在不同请求间要使用不同的随机数值"). A retried read must not replay a nonce the platform may have seen.
    const signed = (): HttpRequest => {
      const query = signedQuery({
        method,
        params: { ...base, SignatureNonce: randomUUID(), Timestamp: rpcTimestamp(new Date(this.now())) },
        accessKeySecret: this.accessKeySecret,
      });
      return method === 'GET'
        ? { method, url: `${this.baseUrl}/?${query}`, headers: {}, idempotent: req.read }
        : {
            method,
            url: `${this.baseUrl}/`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: query,
            idempotent: req.read,
          };
    };
    const res = await exchange(PLATFORM, req.action, signed, this.fetchImpl);
    const parsed = parseJson(res.text);
    if (!parsed.ok) {
      // Vigil asks for JSON, but gateways and some errors answer in XML (<Error><Code>…): read those.
      const xml = xmlEnvelope(res.text);
      if (xml?.Code && (res.status >= 400 || !['200', '0', 'ok'].includes(xml.Code.toLowerCase())))
        throw new PlatformError({
          platform: PLATFORM,
          httpStatus: res.status,
          vendorCode: xml.Code,
          vendorMessage: xml.Message ?? '',
          ...(explanations[xml.Code] ? { explanation: explanations[xml.Code] } : {}),
          ...(xml.RequestId ? { requestId: xml.RequestId } : {}),
        });
      if (res.status >= 400)
        throw new PlatformError({
          platform: PLATFORM,
          httpStatus: res.status,
          vendorCode: `HTTP ${res.status}`,
          vendorMessage: res.text.slice(0, 200),
        });
      throw malformedReply(PLATFORM, req.action, xml ? 'an XML reply where JSON was asked for' : parsed.reason);
    }
    const env = Envelope.safeParse(parsed.value);
    if (!env.success) throw malformedReply(PLATFORM, req.action, env.error);
    const e = env.data;
    const code = e.Code === undefined ? undefined : String(e.Code);
    const ok =
      res.status < 300 &&
      e.Success !== false &&
      (code === undefined || ['200', '0', 'ok'].includes(code.toLowerCase()));
    if (!ok) {
      throw new PlatformError({
        platform: PLATFORM,
        httpStatus: res.status,
        vendorCode: code ?? `HTTP ${res.status}`,
        vendorMessage: e.Message ?? '',
        ...(explanations[code ?? ''] ? { explanation: explanations[code ?? ''] } : {}),
        ...(e.RequestId ? { requestId: e.RequestId } : {}),
      });
    }
    const body = schema.safeParse(parsed.value);
    if (!body.success) throw malformedReply(PLATFORM, req.action, body.error);
    return body.data;
  }
}

/** Code, Message and RequestId of an XML reply (`<Error>` or `<ActionResponse>`), or null. */
export function xmlEnvelope(text: string): { Code?: string; Message?: string; RequestId?: string } | null {
  if (!/^\s*(<\?xml[^>]*>\s*)?<[A-Za-z]/.test(text)) return null;
  const field = (name: string) => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
    return m
      ? m[1]!
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&')
          .trim()
      : undefined;
  };
  const out: { Code?: string; Message?: string; RequestId?: string } = {};
  for (const k of ['Code', 'Message', 'RequestId'] as const) {
    const v = field(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Platform-wide RPC codes (spec cityvision §2.6, not listed by the source) in plain English. */
const explanations: Record<string, string> = {
  SignatureDoesNotMatch: 'the AccessKey secret is wrong',
  'InvalidAccessKeyId.NotFound': 'the AccessKey ID does not exist',
  SignatureNonceUsed: 'a request was replayed; retry',
  'InvalidTimeStamp.Expired': "this computer's clock is more than 15 minutes off; correct it",
  InvalidVersion: 'the API version is not accepted by this endpoint',
  Retry: 'the camera stream is being connected (on-demand pulling); try again shortly',
  Failed: 'the platform could not obtain a stream from the camera',
};
