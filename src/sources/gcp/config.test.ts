import assert from 'node:assert/strict';
import { it } from 'node:test';
import { gcpConfigSchema } from './config.ts';

function problems(block: Record<string, unknown>): string[] {
  const context = { problems: [] as Array<{ path: string; message: string }>, secrets: [] as string[] };
  gcpConfigSchema.parse(block, 'providers.gcp', context);
  return context.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

const cases: Array<[string, Record<string, unknown>, RegExp | null]> = [
  ['minimal', { project_ids: ['ml-prod-4821'] }, null],
  ['no project', { project_ids: [] }, /providers\.gcp\.project_ids: is required/],
  ['bad project id', { project_ids: ['ML_Prod'] }, /providers\.gcp\.project_ids\[0\]/],
  ['both credentials', { project_ids: ['ml-prod-4821'], access_token: 't', credentials_file: '/x.json' }, /not both/],
  ['http on loopback', { project_ids: ['ml-prod-4821'], endpoints: { compute: 'http://127.0.0.1:9' } }, null],
  [
    'http elsewhere',
    { project_ids: ['ml-prod-4821'], endpoints: { compute: 'http://10.0.0.1' } },
    /endpoints\.compute: http is allowed on loopback only/,
  ],
  ['https elsewhere', { project_ids: ['ml-prod-4821'], endpoints: { bigquery: 'https://bq.internal' } }, null],
  [
    'export table',
    {
      project_ids: ['ml-prod-4821'],
      billing_export_table: 'billing-admin.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01',
    },
    null,
  ],
  ['bad export table', { project_ids: ['ml-prod-4821'], billing_export_table: 'just-a-table' }, /billing_export_table/],
  ['max_results bound', { project_ids: ['ml-prod-4821'], max_results: 501 }, /max_results/],
];

for (const [name, block, expected] of cases) {
  it(`config: ${name}`, () => {
    const found = problems(block);
    if (expected === null) assert.deepEqual(found, []);
    else
      assert.ok(
        found.some((line) => expected.test(line)),
        found.join('\n'),
      );
  });
}
