import fs from 'node:fs';
import { report, UnreadableEvidence, verifyFolder } from './verify';

/**
 * `npm run verify-evidence -- <folder> [--key <pem>]`: exit 0 when the signature and every hash
 * hold, 1 naming each file that does not (or "manifest signature invalid"), 2 when the folder
 * cannot be read. Plain Node (20 and 22); no part of Vigil's core is loaded.
 */
async function main(argv: string[]): Promise<number> {
  let dir: string | null = null;
  let keyFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--key') keyFile = argv[++i] ?? null;
    else if (a.startsWith('--key=')) keyFile = a.slice(6);
    else if (a === '-h' || a === '--help') {
      console.log('usage: npm run verify-evidence -- <evidence folder> [--key <public-key.pem>]');
      return 0;
    } else if (dir === null) dir = a;
    else {
      console.error(`unexpected argument: ${a}`);
      return 2;
    }
  }
  if (dir === null) {
    console.error('usage: npm run verify-evidence -- <evidence folder> [--key <public-key.pem>]');
    return 2;
  }
  let keyPem: string | undefined;
  if (keyFile !== null) {
    try {
      keyPem = fs.readFileSync(keyFile, 'utf8');
    } catch (e) {
      console.error(`the key ${keyFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
  }
  try {
    const { lines, code } = report(await verifyFolder(dir, keyPem === undefined ? {} : { keyPem }));
    for (const line of lines) console.log(line);
    return code;
  } catch (e) {
    if (e instanceof UnreadableEvidence) {
      console.error(`cannot read the evidence: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  },
);
