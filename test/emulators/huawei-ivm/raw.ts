import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { IvmEmulator, type IvmEmulatorOptions } from './emulator';

export interface RawReply<B> {
  status: number;
  body: B;
}

/**
 * An IVM emulator for the rule tests, asked over plain HTTP so nothing of Vigil's client shapes
 * the requests: started before the file's tests with a §4.1 token, stopped after them.
 */
export function rawIvm(options: IvmEmulatorOptions = { gbRegisterAfterMs: null }) {
  let emu: IvmEmulator | undefined;
  let token = '';
  before(async () => {
    emu = await new IvmEmulator(options).start();
    const r = await fetch(`${emu.baseUrl}/v2/${emu.credentials.userId}/enterprises/access-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ak: emu.credentials.ak, sk: emu.credentials.sk }),
    });
    token = ((await r.json()) as { access_token: string }).access_token;
  });
  after(() => emu?.stop());
  const started = () => emu ?? assert.fail('the emulator starts before the tests');
  /** `method` on `path` as given (`/v1/<user>/…`), with the token; JSON both ways. */
  async function request<B = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RawReply<B>> {
    const r = await fetch(`${started().baseUrl}${path}`, {
      method,
      headers: { 'Access-Token': token, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as B };
  }
  return {
    get emu(): IvmEmulator {
      return started();
    },
    get user(): string {
      return started().credentials.userId;
    },
    request,
    /** The same under `/v1/<user>` (a query string may follow the path). */
    call: <B = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      request<B>(method, `/v1/${started().credentials.userId}${path}`, body),
  };
}
