// The Paperspace `api:` keys are bounded as the API bounds them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParseContext } from '../../core/config/schema.ts';
import { paperspaceConfigSchema } from './config.ts';

function problemsFor(pageSize: unknown): string[] {
  const context: ParseContext = { problems: [], secrets: [] };
  paperspaceConfigSchema.parse({ api_key: 'k', page_size: pageSize }, 'api', context);
  return context.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

// The API reference gives `limit` of GET /machines as "integer [ 1 .. 120 ]".
const PAGE_SIZE_CASES: Array<[pageSize: unknown, problems: string[]]> = [
  [1, []],
  [120, []],
  [121, ['api.page_size: must be at most 120, got 121']],
  [1000, ['api.page_size: must be at most 120, got 1000']],
  [0, ['api.page_size: must be at least 1, got 0']],
];

for (const [pageSize, problems] of PAGE_SIZE_CASES) {
  test(`config: page_size ${String(pageSize)} ${problems.length === 0 ? 'is accepted' : 'is refused'}`, () => {
    assert.deepEqual(problemsFor(pageSize), problems);
  });
}

test('config: page_size defaults to 100, inside the API range', () => {
  const context: ParseContext = { problems: [], secrets: [] };
  const config = paperspaceConfigSchema.parse({ api_key: 'k' }, 'api', context);
  assert.deepEqual(context.problems, []);
  assert.equal(config?.page_size, 100);
});
