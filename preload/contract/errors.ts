import { z } from 'zod';

/**
 * Every failure crosses the renderer/main boundary in this one shape:
 * a stable code the UI can translate, an English message, optional details.
 * Never a stack trace, never a secret.
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST', // the request did not match the contract
  'VALIDATION', // user input failed a rule; details.fields names the fields
  'NOT_FOUND',
  'VAULT_UNAVAILABLE', // OS keychain missing, locked or refused
  'SETTINGS_WRITE_FAILED',
  'NOT_AVAILABLE', // a feature this platform or build does not offer (yet)
  'PLATFORM_ERROR', // the cloud platform answered with an error
  'NETWORK', // the platform could not be reached
  'UNAUTHORIZED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({
  /** i18n key for the renderer's catalogue, e.g. `validation.userId`. */
  key: z.string(),
  /** English fallback text. */
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z
    .object({
      /** dotted field path → issue, for forms */
      fields: z.record(z.string(), FieldIssue).optional(),
      /** how the user can fix it (e.g. how to unlock the keychain) */
      hint: z.string().optional(),
      /** which case of its code this is, for a screen that explains that case (e.g. `noLibrary`) */
      reason: z.enum(['noLibrary']).optional(),
      /** vendor code and request id of a platform error */
      vendorCode: z.string().optional(),
      requestId: z.string().optional(),
      httpStatus: z.number().int().optional(),
    })
    .optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** What every call returns over IPC or WebSocket; the preload unwraps it. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorShape };
