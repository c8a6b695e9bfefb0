import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseManifest, type Manifest } from './manifest';
import { fingerprint, verifyBytes } from './signing';

/** Size and SHA-256 (lowercase hex) of a file, streamed. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, signal ? { signal } : {})) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export type FileStatus = 'OK' | 'MISMATCH' | 'MISSING';

export interface FolderCheck {
  /** The signature over manifest.json's bytes, against `--key` or else the folder's public-key.pem. */
  signatureValid: boolean;
  /** Fingerprint (SHA-256 of the SPKI DER, hex) of the key the signature was checked against. */
  keyFingerprint: string | null;
  /** The folder's own public-key.pem's fingerprint (null when it cannot be read). */
  folderKeyFingerprint: string | null;
  /** Why the manifest could not be read as vigil-evidence/1 (its files are then not checked). */
  manifestError: string | null;
  manifest: Manifest | null;
  files: Array<{ name: string; status: FileStatus }>;
  ok: boolean;
}

/** The folder (or its manifest or signature) could not be read: nothing could be checked. */
export class UnreadableEvidence extends Error {}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UnreadableEvidence(
      `${what} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/**
 * Checks an evidence folder as an outside tool would: manifest.sig over manifest.json's exact
 * bytes with the given key (a PEM, e.g. the one the supervisor handed over) or else the folder's
 * public-key.pem, then every listed file's size and SHA-256. Throws UnreadableEvidence when the
 * folder, manifest.json or manifest.sig cannot be read.
 */
export async function verifyFolder(dir: string, options: { keyPem?: string } = {}): Promise<FolderCheck> {
  try {
    if (!fs.statSync(dir).isDirectory()) throw new UnreadableEvidence(`${dir} is not a folder`);
  } catch (e) {
    if (e instanceof UnreadableEvidence) throw e;
    throw new UnreadableEvidence(`${dir} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const manifestBuf = read(path.join(dir, 'manifest.json'), 'manifest.json');
  const sig = read(path.join(dir, 'manifest.sig'), 'manifest.sig').toString('utf8');
  let folderPem: string | null = null;
  try {
    folderPem = fs.readFileSync(path.join(dir, 'public-key.pem'), 'utf8');
  } catch {
    // checked against --key only; without one, nothing can be verified
  }
  const keyPem = options.keyPem ?? folderPem;
  if (keyPem === null) throw new UnreadableEvidence('public-key.pem cannot be read and no --key was given');
  const fp = (pem: string | null) => {
    if (pem === null) return null;
    try {
      return fingerprint(pem);
    } catch {
      return null;
    }
  };
  const signatureValid = verifyBytes(manifestBuf, sig, keyPem);
  let manifest: Manifest | null = null;
  let manifestError: string | null = null;
  try {
    manifest = parseManifest(manifestBuf);
  } catch (e) {
    manifestError = (e as Error).message;
  }
  const files: FolderCheck['files'] = [];
  for (const f of manifest?.files ?? []) {
    const file = path.join(dir, ...f.name.split('/'));
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      files.push({ name: f.name, status: 'MISSING' });
      continue;
    }
    try {
      const got = await hashFile(file);
      files.push({ name: f.name, status: got.bytes === f.bytes && got.sha256 === f.sha256 ? 'OK' : 'MISMATCH' });
    } catch {
      files.push({ name: f.name, status: 'MISSING' });
    }
  }
  return {
    signatureValid,
    keyFingerprint: fp(keyPem),
    folderKeyFingerprint: fp(folderPem),
    manifestError,
    manifest,
    files,
    ok: signatureValid && manifest !== null && files.every((f) => f.status === 'OK'),
  };
}

/** The verifier's report, one line per finding, and its exit code (0 all hold, 1 something does not). */
export function report(check: FolderCheck): { lines: string[]; code: 0 | 1 } {
  const lines: string[] = [];
  lines.push(`key fingerprint (SHA-256 of SPKI DER): ${check.keyFingerprint ?? 'unreadable key'}`);
  if (check.folderKeyFingerprint && check.folderKeyFingerprint !== check.keyFingerprint)
    lines.push(`the folder's public-key.pem is another key: ${check.folderKeyFingerprint}`);
  lines.push(check.signatureValid ? 'manifest signature valid' : 'manifest signature invalid');
  if (check.manifestError) lines.push(check.manifestError);
  for (const f of check.files) lines.push(`${f.status.padEnd(8)} ${f.name}`);
  const bad = check.files.filter((f) => f.status !== 'OK');
  if (bad.length) lines.push(`files that do not hold: ${bad.map((f) => f.name).join(', ')}`);
  lines.push(check.ok ? 'evidence verified' : 'evidence NOT verified');
  return { lines, code: check.ok ? 0 : 1 };
}
