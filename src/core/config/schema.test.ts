// Infer<shape> is the exact type parseObject returns: required and defaulted keys are always there, others optional.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as s from './schema.ts';

const shape = {
  token: s.string({ secret: true, required: true }),
  page_size: s.number({ default: 100, integer: true }),
  mode: s.oneOf(['a', 'b'] as const, { default: 'a' }),
  region: s.oneOf(['eu', 'us'] as const),
  note: s.string(),
  every: s.duration({ default: 60_000 }),
  tags: s.list(s.string()),
  nested: s.object({ on: s.boolean({ default: false }) }),
};
type Parsed = s.Infer<typeof shape>;

// Compile-time: these assignments fail to typecheck if Infer gets presence wrong.
const always: Pick<Parsed, 'token' | 'page_size' | 'mode' | 'every' | 'tags' | 'nested'> = {
  token: 't',
  page_size: 1,
  mode: 'b',
  every: 1,
  tags: [],
  nested: { on: true },
};
const optional: Pick<Parsed, 'region' | 'note'> = {};
// @ts-expect-error a required key cannot be missing
const missing: Pick<Parsed, 'token'> = {};
// @ts-expect-error a value outside oneOf is not its type
const wrong: Pick<Parsed, 'mode'> = { mode: 'c' };

test('parseObject fills defaults and sections, leaves optional keys absent, and matches the inferred type', () => {
  const context: s.ParseContext = { problems: [], secrets: [] };
  const parsed: Parsed | undefined = s.parseObject(shape, { token: 'secret-1' }, 'api', context);
  assert.deepEqual(context.problems, []);
  assert.deepEqual(parsed, {
    token: 'secret-1',
    page_size: 100,
    mode: 'a',
    every: 60_000,
    tags: [],
    nested: { on: false },
  });
  assert.deepEqual(context.secrets, ['secret-1']);
  assert.deepEqual([always, optional, missing, wrong].length, 4);
});

test('present is true exactly for required, defaulted and section fields', () => {
  const present = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.present]));
  assert.deepEqual(present, {
    token: true,
    page_size: true,
    mode: true,
    region: false,
    note: false,
    every: true,
    tags: true,
    nested: true,
  });
});

test('a missing required key is one problem with its path', () => {
  const context: s.ParseContext = { problems: [], secrets: [] };
  assert.equal(s.parseObject(shape, {}, 'providers.x.api', context), undefined);
  assert.deepEqual(
    context.problems.map((problem) => problem.path),
    ['providers.x.api.token'],
  );
});
