import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../core/config/load.ts';
import { createRegistry } from '../../../core/registry.ts';

const registry = createRegistry([], []);
const block = (rateCard: string[], extra: string[] = []): string =>
  [
    'providers:',
    '  onprem:',
    '    enabled: true',
    '    collector_type: generic',
    '    prometheus_url: http://prometheus:9090',
    '    rate_card:',
    ...rateCard.map((line) => `      ${line}`),
    ...extra,
    '',
  ].join('\n');

test('the issue-15 rate card loads with its defaults', () => {
  const text = block([
    'currency: USD',
    'gpu_hour: { H100-SXM5-80GB: "2.10", A100-SXM4-80GB: "1.20", default: "0.90" }',
    'host_hour: "0.35"',
    'energy: { price_per_kwh: "0.14", pue: 1.35 }',
  ]);
  const result = loadConfigText(text, registry, {});
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.config?.providers.onprem?.generic?.rate_card, {
    currency: 'USD',
    gpu_hour: { 'H100-SXM5-80GB': '2.10', 'A100-SXM4-80GB': '1.20', default: '0.90' },
    host_hour: '0.35',
    energy: { price_per_kwh: '0.14', pue: 1.35, max_gap: 900_000 },
  });
});

test('no rate_card: none parsed (no rate-card rows)', () => {
  const text = 'providers:\n  onprem:\n    enabled: true\n    prometheus_url: http://prometheus:9090\n';
  const result = loadConfigText(text, registry, {});
  assert.deepEqual(result.problems, []);
  assert.equal(result.config?.providers.onprem?.generic?.rate_card, undefined);
});

const invalid: Array<[string, string[], string[], string, RegExp]> = [
  [
    'unknown GPU id',
    ['gpu_hour: { H100-SXM-80GB: "2.10" }'],
    [],
    'gpu_hour.H100-SXM-80GB',
    /did you mean "H100-SXM5-80GB"/,
  ],
  ['negative price', ['host_hour: "-0.35"'], [], 'host_hour', /decimal string/],
  ['PUE below 1', ['energy: { price_per_kwh: "0.14", pue: 0.9 }'], [], 'energy.pue', /1/],
  ['unknown key', ['gpu_hours: {}'], [], 'gpu_hours', /did you mean "gpu_hour"/],
  ['with an api block', ['host_hour: "0.35"'], ['    api:', '      adapter: none'], '', /cannot be combined with api/],
];
for (const [name, rateCard, extra, path, message] of invalid) {
  test(`rate_card rejected: ${name}`, () => {
    const result = loadConfigText(block(rateCard, extra), registry, {});
    const problem = result.problems.find(
      (entry) => entry.path === `providers.onprem.rate_card${path ? `.${path}` : ''}`,
    );
    assert.ok(problem, JSON.stringify(result.problems));
    assert.match(problem.message, message);
  });
}
