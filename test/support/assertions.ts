// Assertions shared by the provider wire tests.

import assert from 'node:assert/strict';

/** `collect` rejects with a permanent AUTH_FAILED naming `provider`, HTTP 401 and the `api_key` to fix. */
export async function assertRejectedKey(collect: Promise<unknown>, provider: RegExp): Promise<void> {
  await assert.rejects(collect, (error: Error & { code?: string; retryable?: boolean }) => {
    assert.equal(error.code, 'AUTH_FAILED');
    assert.equal(error.retryable, false);
    assert.match(error.message, provider);
    assert.match(error.message, /HTTP 401/);
    assert.match(error.message, /api_key/);
    return true;
  });
}
