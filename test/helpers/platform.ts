import assert from 'node:assert/strict';
import { AppError } from '../../main/errors';

/** Asserts that a platform call fails as an AppError with this vendor code (and HTTP status, if given). */
export async function rejectsWithCode(p: Promise<unknown>, code: string, status?: number, why?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.details?.vendorCode, code, why ? `${why}: ${e.message}` : e.message);
    if (status !== undefined) assert.equal(e.details?.httpStatus, status);
    return true;
  });
}
