import fs from 'node:fs';
import { z } from 'zod';
import { AccountConfig, AccountId, AccountName, ControlRoomSettings, Secret } from '../../preload/contract';
import { AppError } from '../errors';

/**
 * What an agent runs, from `agent.json` (no secrets: those come from the vault). Each receiver is
 * an account whose IVM pushes this agent takes when no other online member receives them.
 */
export const AgentReceiver = z
  .object({
    accountId: AccountId,
    /** The URL the platform pushes to (the agent's own https, or the reverse proxy in front of it). */
    publicUrl: z.url(),
    port: z.number().int().min(1).max(65535),
    /** PEM files: the agent serves HTTPS itself (otherwise plain HTTP behind a TLS-terminating proxy). */
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((r) => !r.certFile === !r.keyFile, 'certFile and keyFile go together');

export const AgentConfig = z
  .object({
    /** The control room: `seat` is this agent's member name (its broker login), `enabled` is implied. */
    controlRoom: ControlRoomSettings.omit({ enabled: true, alarmPane: true, escalateAfterSec: true }).partial({
      user: true,
      username: true,
      ca: true,
      retentionDays: true,
      pollEvents: true,
    }),
    receivers: z.array(AgentReceiver).max(256).default([]),
    /** `/healthz` on 127.0.0.1 (0: a free port, said in the ready line). */
    healthPort: z.number().int().min(0).max(65535).default(9120),
    /**
     * How long a push's answer waits for the broker to acknowledge its alarm (IVM waits 5 s): a
     * push answered has left this agent, so a failover proxy retries on the other agent what a
     * dead one never answered.
     */
    pushAnswerWithinMs: z.number().int().min(0).max(4_500).default(2_000),
    /** How often a standby agent looks for an account no online member receives. */
    takeoverEveryMs: z.number().int().min(200).max(60_000).default(2_000),
  })
  .strict();
export type AgentConfig = z.infer<typeof AgentConfig>;

/** `agent.json` read and checked; every problem is said with its path in the file. */
export function parseAgentConfig(file: string, text: string): AgentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('VALIDATION', `${file} is not JSON: ${(e as Error).message}`);
  }
  const parsed = AgentConfig.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function readAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('VALIDATION', `The agent's configuration ${file} cannot be read: ${(e as Error).message}`);
  }
  return parseAgentConfig(file, text);
}

/** One account to import (`vigil-agent import accounts.json`): the seats' id keeps claims and alarm ids shared. */
export const AccountImport = z
  .object({ id: AccountId.optional(), name: AccountName, config: AccountConfig, secret: Secret })
  .strict();

export function parseAccountImport(file: string, text: string): Array<z.infer<typeof AccountImport>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('VALIDATION', `${file} is not JSON: ${(e as Error).message}`);
  }
  const list = z
    .array(AccountImport)
    .max(1000)
    .safeParse(Array.isArray(raw) ? raw : [raw]);
  if (!list.success)
    throw new AppError(
      'VALIDATION',
      `${file}: ${list.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return list.data;
}
