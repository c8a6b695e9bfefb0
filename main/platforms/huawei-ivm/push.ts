import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PushedAlarm } from '../platform';
import { channelNodeId } from './map';

/**
 * Receiving Huawei IVM pushes (10.1.4): pure functions to check a push's signature and to parse
 * its body without losing 64-bit integers (`message_id` and friends exceed 2^53, some are
 * unsigned 64-bit, §0.7), plus the alarm payload (10.1.4.2) as Vigil shows it.
 */

/**
 * JSON.parse, except that integers too long to be exact in a double (16+ digits) come back as
 * decimal strings. Only number tokens outside strings are touched.
 */
export function parseExact(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const token = m[0];
      const isLongInteger = !m[1] && !m[2] && token.replace('-', '').length >= 16;
      out += isLongInteger ? `"${token}"` : token;
      i += Math.max(1, token.length);
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out) as unknown;
}

/** 10.1.4.1 signs URL|timestamp|key: a push's signature is its timestamp and digest, valid ±300 s. */
export function signatureOf(headers: Record<string, string | string[] | undefined>): { key: string; lapsesAt: number } {
  const h = (n: string) => String(headers[`x-ivm-${n}`] ?? headers[`x-lvm-${n}`] ?? '');
  return { key: `${h('timestamp')}|${h('signature')}`, lapsesAt: Number(h('timestamp')) * 1000 + 300_000 };
}

export type SignatureCheck = { ok: true; signed: boolean } | { ok: false; reason: string };

/**
 * 10.1.4.1: `sha256(callback_url|timestamp|auth_key)`, hex (any case) or base64. Headers are
 * printed `X-lvm-…` (lower-case L) in the document, so both spellings are read. Without an
 * auth key configured, pushes carry no signature. Timestamps beyond ±300 s are replays.
 */
export function checkSignature(
  headers: Record<string, string | string[] | undefined>,
  callbackUrl: string,
  authKey: string | undefined,
  nowMs: number,
): SignatureCheck {
  const header = (name: string) => {
    const v = headers[`x-ivm-${name}`] ?? headers[`x-lvm-${name}`];
    return Array.isArray(v) ? v[0] : v;
  };
  if (!authKey) return { ok: true, signed: false };
  const ts = header('timestamp');
  const sig = header('signature');
  if (!ts || !sig) return { ok: false, reason: 'the push is not signed, but an auth key is configured' };
  if (!/^\d{10}$/.test(ts)) return { ok: false, reason: 'the push timestamp is not 10 digits of epoch seconds' };
  if (Math.abs(Number(ts) * 1000 - nowMs) > 300_000)
    return { ok: false, reason: 'the push timestamp is more than 5 minutes off (replayed or clock skew)' };
  const digest = createHash('sha256').update(`${callbackUrl}|${ts}|${authKey}`).digest();
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  if (same(sig.toLowerCase(), digest.toString('hex')) || same(sig, digest.toString('base64')))
    return { ok: true, signed: true };
  return { ok: false, reason: 'the push signature does not match' };
}

const idText = z.union([z.string(), z.number()]).transform(String);
/** 10.1.4.1: `message_type` and `data` are "可能为空" (may be empty): absent or null. */
export const PushEnvelope = z.looseObject({
  message_id: idText,
  message_type: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  test: z.boolean().default(false),
});
/** 10.1.4.2; fields the table marks optional or "empty for now" (alarm_attr) may also come as null. */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const count = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
export const DeviceAlarm = z.looseObject({
  device_id: z.string(),
  device_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  channel_id: idText,
  channel_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  channel_type: text,
  alarm_type: z.string(),
  alarm_type_name: text,
  alarm_status: text,
  alarm_time: z.string(),
  alarm_uuid: z.string(),
  classification: text,
  target: z
    .looseObject({
      target_id: idText.nullish().transform((v) => v ?? undefined),
      name: text,
      similarity: count,
      target_alarm_type: text,
      targetgroup_name: text,
      group_id: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish()
    .transform((v) => v ?? undefined),
  enter_count: count,
  leave_count: count,
  repeat_count: count,
});

export type { PushedAlarm };

/**
 * One push body → what the receiver acts on: a connectivity test, an alarm, or another message
 * type kept as it came (TLV data, status). A body that is not an IVM push is an error string.
 */
export function readPush(
  text: string,
):
  | { kind: 'test'; messageId: string }
  | { kind: 'alarm'; alarm: PushedAlarm }
  | { kind: 'other'; messageId: string; messageType: string; data: Record<string, unknown> }
  | { kind: 'invalid'; reason: string } {
  let raw: unknown;
  try {
    raw = parseExact(text);
  } catch {
    return { kind: 'invalid', reason: 'the body is not JSON' };
  }
  const env = PushEnvelope.safeParse(raw);
  if (!env.success)
    return {
      kind: 'invalid',
      reason:
        `not an IVM push: ${env.error.issues[0]?.path.join('.') || 'body'} ${env.error.issues[0]?.message ?? ''}`.trim(),
    };
  const { message_id: messageId, message_type: messageType, data, test } = env.data;
  if (test) return { kind: 'test', messageId };
  if (messageType !== 'device_alarm')
    return { kind: 'other', messageId, messageType: messageType ?? '', data: data ?? {} };
  const a = DeviceAlarm.safeParse(data);
  if (!a.success)
    return {
      kind: 'invalid',
      reason: `device_alarm: ${a.error.issues[0]?.path.join('.')} ${a.error.issues[0]?.message}`,
    };
  const at = Date.parse(a.data.alarm_time);
  const t = a.data.target;
  return {
    kind: 'alarm',
    alarm: {
      messageId,
      deviceId: a.data.device_id,
      channelId: a.data.channel_id,
      channelRef: channelNodeId(a.data.device_id, a.data.channel_id),
      channelName: a.data.channel_name,
      type: a.data.alarm_type,
      ...(a.data.alarm_type_name ? { typeName: a.data.alarm_type_name } : {}),
      ...(a.data.classification ? { classification: a.data.classification } : {}),
      ...(a.data.alarm_status ? { status: a.data.alarm_status } : {}),
      at: Number.isNaN(at) ? 0 : at,
      uuid: a.data.alarm_uuid,
      ...(t
        ? {
            target: {
              ...(t.target_id !== undefined ? { id: t.target_id } : {}),
              ...(t.name ? { name: t.name } : {}),
              ...(t.similarity !== undefined ? { similarity: t.similarity } : {}),
              ...(t.targetgroup_name || t.target_alarm_type
                ? { group: t.targetgroup_name || t.target_alarm_type }
                : {}),
            },
          }
        : {}),
    },
  };
}
