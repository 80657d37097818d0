// Config validation is linear in the number of providers (with their missing ${VAR} references): a file of its own,
// so the measurement runs in a fresh process, not in a heap the other loader tests have grown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from './load.ts';
import { createRegistry } from '../registry.ts';
import * as s from './schema.ts';
import type { SourceFactory } from '../source.ts';

const fakeAdapter: SourceFactory = {
  type: 'fakecloud',
  role: 'adapter',
  description: 'test adapter',
  collects: ['inventory'],
  configSchema: s.object({ graphql_url: s.url() }),
  create: () => ({ collect: async () => undefined, shutdown: async () => undefined }),
};
const registry = createRegistry([fakeAdapter]);

test('validation time is linear in providers with missing ${VAR} references (2,000 vs 200: under 15x)', () => {
  const document = (count: number): string => {
    const lines = ['providers:'];
    for (let index = 0; index < count; index += 1)
      lines.push(
        `  p${index}:`,
        `    enabled: \${P${index}_ENABLED}`,
        `    interval: \${P${index}_INTERVAL}`,
        `    prometheus_url: \${P${index}_PROMETHEUS}`,
        `    scrape_targets: ["\${P${index}_TARGET}"]`,
        '    api:',
        '      adapter: fakecloud',
        `      api_key: \${P${index}_KEY}`,
      );
    return `${lines.join('\n')}\n`;
  };
  const small = document(200);
  const large = document(2_000);
  // CPU time of this process (µs), not wall time: on a busy machine waiting for a core is not our work.
  const time = (text: string): number => {
    const started = process.cpuUsage();
    const result = loadConfigText(text, registry, {});
    assert.ok(result.warnings.length > 0);
    const used = process.cpuUsage(started);
    return used.user + used.system;
  };
  // Interleaved rounds, the fastest of each: anything else running only ever adds time.
  let fastestSmall = Number.POSITIVE_INFINITY;
  let fastestLarge = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 8; round += 1) {
    fastestSmall = Math.min(fastestSmall, time(small));
    fastestLarge = Math.min(fastestLarge, time(large));
  }
  const ratio = fastestLarge / fastestSmall;
  if (process.env.OPTIINFRA_SHOW_RATIO) console.log(`config validation 2,000 vs 200 providers: ${ratio.toFixed(1)}x`);
  assert.ok(ratio < 15, `2,000 providers took ${ratio.toFixed(1)}x as long as 200`);
});
