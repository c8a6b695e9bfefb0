import type { ZodError } from 'zod';
import type { ErrorCode, ErrorShape, FieldIssue } from '../preload/contract';
import { log } from './log';

/** A failure main reports to the renderer as `{code, message, details}`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorShape['details'],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** zod issues → per-field messages. Contract messages are `i18nKey|English`. */
export function fieldIssues(error: ZodError): Record<string, FieldIssue> {
  const fields: Record<string, FieldIssue> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(root)';
    if (fields[path]) continue;
    const [key, english] = issue.message.includes('|')
      ? issue.message.split('|', 2)
      : ['validation.invalid', issue.message];
    fields[path] = { key: key!, message: english! };
  }
  return fields;
}

export function validationError(error: ZodError, message = 'Some fields are not valid'): AppError {
  return new AppError('VALIDATION', message, { fields: fieldIssues(error) });
}

/** Anything thrown inside main becomes an ErrorShape; unknown errors are logged (redacted) and hidden. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof AppError) {
    return error.details
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  log.error('unexpected error', error);
  return { code: 'INTERNAL', message: 'Internal error in Vigil; see the log for details' };
}
