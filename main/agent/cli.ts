import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AccountConfig, AccountName, Secret } from '../../preload/contract';
import { AppError } from '../errors';
import { EventBus } from '../events';
import { log, registerSecret } from '../log';
import { AccountsService } from '../services/accounts';
import { fileBackend } from '../settings/file-backend';
import { acquireDataFolderLock } from '../settings/lock';
import { Settings } from '../settings/settings';
import { CredentialsFileVault } from '../vault/credentials-file';
import { KeyringVault, type Vault } from '../vault/vault';
import { Agent } from './agent';
import { parseAccountImport, readAgentConfig } from './config';

export const USAGE = `vigil-agent: the control room's always-on member (alarms received, kept and shared without a window)

  vigil-agent [run]                      runs until SIGTERM; one JSON line on stdout when ready
  vigil-agent add-account --name N --account-config '{"platform":"huawei-ivm",…}' [--id acc_…]   secret on stdin
  vigil-agent import FILE                accounts from JSON ([{ id?, name, config, secret }])
  vigil-agent set-secret ENTRY           a vault entry from stdin (control-room:broker: the broker password)

  --data DIR          data folder (default $STATE_DIRECTORY, else ~/.local/state/vigil-agent)
  --config FILE       agent.json (default $CONFIGURATION_DIRECTORY/agent.json, else DIR/agent.json)
  --secrets KIND      keychain (the Secret Service) or file (default: file when --credentials or
                      $CREDENTIALS_DIRECTORY is given or no D-Bus session runs, else keychain)
  --credentials FILE  credentials JSON, mode 0600 and owned by this user (systemd: LoadCredential=vigil:…)
`;

export interface AgentArgs {
  command: 'run' | 'add-account' | 'import' | 'set-secret' | 'help';
  positional: string[];
  dataDir: string;
  configFile: string;
  secrets: 'keychain' | 'file';
  credentials: { file: string; systemd: boolean } | null;
  name?: string;
  config?: string;
  id?: string;
}

/** The command line and environment as the agent reads them (pure: tests pass both). */
export function parseAgentArgs(argv: string[], env: NodeJS.ProcessEnv, home = os.homedir()): AgentArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      config: { type: 'string' },
      secrets: { type: 'string' },
      credentials: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      'account-config': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [first, ...rest] = positionals;
  const command = values.help ? 'help' : (first ?? 'run');
  if (!['run', 'add-account', 'import', 'set-secret', 'help'].includes(command))
    throw new AppError('VALIDATION', `unknown command "${command}"\n\n${USAGE}`);
  const dataDir = path.resolve(
    values.data ??
      env.VIGIL_AGENT_DATA ??
      env.STATE_DIRECTORY?.split(':')[0] ??
      path.join(home, '.local/state/vigil-agent'),
  );
  const configFile = path.resolve(
    values.config ??
      (env.CONFIGURATION_DIRECTORY
        ? path.join(env.CONFIGURATION_DIRECTORY.split(':')[0]!, 'agent.json')
        : path.join(dataDir, 'agent.json')),
  );
  let credentials: AgentArgs['credentials'] = null;
  if (values.credentials) credentials = { file: path.resolve(values.credentials), systemd: false };
  else if (env.CREDENTIALS_DIRECTORY)
    credentials = { file: path.join(env.CREDENTIALS_DIRECTORY, 'vigil'), systemd: true };
  if (values.secrets !== undefined && values.secrets !== 'keychain' && values.secrets !== 'file')
    throw new AppError('VALIDATION', `--secrets is keychain or file, not "${values.secrets}"`);
  const secrets =
    (values.secrets as 'keychain' | 'file' | undefined) ??
    (credentials || !env.DBUS_SESSION_BUS_ADDRESS ? 'file' : 'keychain');
  return {
    command: command as AgentArgs['command'],
    positional: rest,
    dataDir,
    configFile,
    secrets,
    credentials,
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values['account-config'] !== undefined ? { config: values['account-config'] } : {}),
    ...(values.id !== undefined ? { id: values.id } : {}),
  };
}

/** The vault the arguments name; a credentials file is read (and its mode checked) now. */
export function agentVault(args: AgentArgs): Vault {
  if (args.secrets === 'keychain') return new KeyringVault();
  const vault = new CredentialsFileVault({
    given: args.credentials?.file ?? null,
    own: path.join(args.dataDir, 'credentials.json'),
    systemd: args.credentials?.systemd ?? false,
  });
  vault.load();
  return vault;
}

function readStdin(): string {
  try {
    return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new AppError('VALIDATION', `the secret is read from standard input: ${(e as Error).message}`);
  }
}

/** Runs a command; answers the exit code. `out` receives stdout lines (the ready line). */
export async function runAgent(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number | Agent> {
  const args = parseAgentArgs(argv, env);
  if (args.command === 'help') {
    out(USAGE);
    return 0;
  }
  const vault = agentVault(args);
  const lock = acquireDataFolderLock(args.dataDir, 'agent');
  try {
    if (args.command === 'run') {
      const config = readAgentConfig(args.configFile);
      const agent = new Agent(args.dataDir, config, vault);
      const { healthUrl } = await agent.start();
      const status = agent.alarms.link.status();
      out(
        JSON.stringify({
          ready: true,
          agent: status.seat,
          site: status.site,
          broker: status.state,
          health: healthUrl,
          receivers: config.receivers.map((r) => r.accountId),
          accounts: agent.accounts.records().length,
          pid: process.pid,
        }),
      );
      const held = lock;
      const stop = () => {
        void agent
          .stop()
          .catch((e: Error) => log.warn(`agent: stopping: ${e.message}`))
          .finally(() => {
            held.release();
            process.exit(0);
          });
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return agent;
    }
    const settings = new Settings(args.dataDir, fileBackend);
    const accounts = new AccountsService(settings, vault, new EventBus());
    if (args.command === 'set-secret') {
      const entry = args.positional[0];
      if (!entry) throw new AppError('VALIDATION', 'set-secret needs the entry name (e.g. control-room:broker)');
      const secret = readStdin();
      if (!secret) throw new AppError('VALIDATION', 'no secret on standard input');
      registerSecret(secret);
      await vault.set(entry, secret);
      out(JSON.stringify({ stored: entry }));
      return 0;
    }
    const items =
      args.command === 'import'
        ? parseAccountImport(
            args.positional[0] ?? '(no file)',
            fs.readFileSync(args.positional[0] ?? '/dev/null', 'utf8'),
          )
        : [
            {
              ...(args.id ? { id: args.id } : {}),
              name: AccountName.parse(args.name ?? ''),
              config: AccountConfig.parse(JSON.parse(args.config ?? 'null')),
              secret: Secret.parse(readStdin()),
            },
          ];
    const added = [];
    for (const item of items) {
      registerSecret(item.secret);
      const existing = item.id ? accounts.records().find((r) => r.id === item.id) : undefined;
      const account = existing
        ? await accounts.update({ id: existing.id, name: item.name, config: item.config, secret: item.secret })
        : await accounts.add({ name: item.name, config: item.config, secret: item.secret }, item.id);
      added.push({ id: account.id, name: account.name, platform: account.config.platform, updated: !!existing });
    }
    out(JSON.stringify({ accounts: added }));
    return 0;
  } catch (e) {
    if (args.command === 'run') lock.release(); // a run that did not start holds nothing
    throw e;
  } finally {
    if (args.command !== 'run') lock.release();
  }
}
