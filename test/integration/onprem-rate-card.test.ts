// The On-Premises rate card end to end: the CLI's `collect` (twice, like two scheduled runs) of a generic provider
// scraping the simulated exporter host (DCGM with 8 GPUs + node_exporter) stores rate-card rows in SQLite for
// every GPU (GPU-hours), the host (host-hours) and GPU energy; a third collect of the same window adds no row.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startExporterHost, type ExporterHost } from '../../src/simulator/exporter-host/server.ts';
import { runCli } from '../support/cli.ts';

let host: ExporterHost | undefined;
let directory = '';

before(async () => {
  // Manual clock: the energy counter (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, +400 J per tick) moves only on advance().
  host = await startExporterHost({ clock: 'manual', pages: { dcgm: { gpus: 8 }, node: {} } });
  directory = mkdtempSync(join(tmpdir(), 'optiinfra-onprem-'));
});

after(async () => {
  await host?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

interface Row {
  resource_id: string;
  resource_type: string;
  x_row_key: string;
  billed_cost: string;
  pricing_quantity: string;
  x_gpu_model: string | null;
  x_cost_source: string;
}

function rows(databasePath: string): Row[] {
  const database = new DatabaseSync(databasePath, { readOnly: true });
  try {
    return database
      .prepare(
        `SELECT resource_id, resource_type, x_row_key, billed_cost, pricing_quantity, x_gpu_model, x_cost_source
         FROM cost_records WHERE provider = 'onprem' ORDER BY resource_id, x_row_key`,
      )
      .all() as unknown as Row[];
  } finally {
    database.close();
  }
}

/** value × 10^places as a BigInt, from a decimal string (test-side arithmetic, not the product's). */
function scaled(text: string, places: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(places, '0').slice(0, places));
}

test('rate card: two collects store GPU-hour, host-hour and energy rows; a re-collect adds none', async () => {
  const configPath = join(directory, 'onprem.yaml');
  const databasePath = join(directory, 'onprem.db');
  writeFileSync(
    configPath,
    [
      'storage:',
      `  url: sqlite:${databasePath}`,
      'providers:',
      '  onprem:',
      '    enabled: true',
      '    collector_type: generic',
      `    scrape_targets: [${host!.metricsUrl}]`,
      '    rate_card:',
      '      currency: USD',
      '      gpu_hour: { H100-SXM5-80GB: "2.10", A100-SXM4-80GB: "1.20", default: "0.90" }',
      '      host_hour: "0.35"',
      '      energy: { price_per_kwh: "0.14", pue: 1.35 }',
      '',
    ].join('\n'),
  );
  const collect = async (): Promise<void> => {
    const result = await runCli(['collect', '--provider', 'onprem', '--json', '--config', configPath], {
      cwd: directory,
    });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const [run] = (JSON.parse(result.stdout) as { runs: Array<{ status: string; errors: unknown[] }> }).runs;
    assert.equal(run?.status, 'ok', JSON.stringify(run?.errors));
  };
  await collect();
  host!.advance(5);
  await collect();
  const stored = rows(databasePath);
  const byKey = (key: string) => stored.filter((row) => row.x_row_key === key);
  assert.ok(stored.every((row) => row.x_cost_source === 'rate_card'));

  // 8 GPUs, each seen in 1 hour (2 if the runs straddle an hour): hours × 2.10, model canonical.
  const gpuHours = byKey('gpu-hours');
  assert.equal(gpuHours.length, 8, JSON.stringify(stored));
  for (const row of gpuHours) {
    assert.equal(row.x_gpu_model, 'H100-SXM5-80GB');
    assert.ok(['1', '2'].includes(row.pricing_quantity));
    assert.equal(scaled(row.billed_cost, 2), BigInt(row.pricing_quantity) * 210n);
  }
  const hostHours = byKey('host-hours');
  assert.equal(hostHours.length, 1);
  assert.equal(hostHours[0]!.resource_id, 'host:gpu-node-0');
  assert.equal(scaled(hostHours[0]!.billed_cost, 2), BigInt(hostHours[0]!.pricing_quantity) * 35n);

  // Energy from the counter's increase: 5 ticks × 400 J = 2000 J = 0.000556 kWh (6 places, rounded);
  // × PUE 1.35 = 0.0007506 -> 0.000751 kWh; × 0.14 USD = 0.00010514 USD.
  const energy = byKey('energy');
  assert.equal(energy.length, 8);
  for (const row of energy) {
    assert.equal(row.pricing_quantity, '0.000751');
    assert.equal(scaled(row.billed_cost, 8), 751n * 14n);
  }

  // A third collect of the same window (nothing advanced): the same rows, none added.
  // (Hours are wall-clock: compare keys and energy, so a run landing in the next hour cannot flake the test.)
  await collect();
  const again = rows(databasePath);
  const keys = (list: Row[]) => list.map((row) => `${row.resource_id} ${row.x_row_key}`);
  assert.deepEqual(keys(again), keys(stored));
  assert.deepEqual(
    again.filter((row) => row.x_row_key === 'energy'),
    energy,
  );
});
