// The `run` command as a child process: refuses a non-loopback listener without a token, serves the API
// with bearer auth, collects on schedule, and exits 0 on SIGTERM after a graceful shutdown.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { exporterHostProvider } from '../src/simulator/exporter-host/provider.ts';
import { SERVICE_ENV, SERVICE_V8_FLAGS } from '../bin/runtime-tuning.js';
import { startRunService } from './support/cli.ts';

function start(configPath: string, args: string[], env: Record<string, string> = {}) {
  return startRunService(configPath, { args, env });
}

test('run: serves the API, collects, and exits 0 on SIGTERM; refuses 0.0.0.0 without a token', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-run-'));
  const host = await exporterHostProvider.start({ seed: 3 });
  try {
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(
      configPath,
      stringify({
        storage: { url: `sqlite:${join(directory, 'run.db')}` },
        collection: { interval: '1h' },
        server: { listen: '127.0.0.1:0' },
        providers: { exporter_host: host.providerBlock },
      }),
    );

    const refused = start(configPath, ['--listen', '0.0.0.0:0'], { OPTIINFRA_API_TOKEN: '' });
    assert.equal(await refused.exited, 2);
    assert.match(refused.stderr(), /set OPTIINFRA_API_TOKEN/);
    for (const weak of ['hunter2', '               ']) {
      const refusedWeak = start(configPath, ['--listen', '0.0.0.0:0'], { OPTIINFRA_API_TOKEN: weak });
      assert.equal(await refusedWeak.exited, 2);
      assert.match(refusedWeak.stderr(), /error \[CONFIG_INVALID\]: .*OPTIINFRA_API_TOKEN .*at least 16 characters/);
      assert.ok(!refusedWeak.stderr().includes('hunter2'));
    }

    const token = 'run-test-token-abcdef';
    const service = start(configPath, [], { OPTIINFRA_API_TOKEN: token });
    const [, url] = await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    await service.waitFor(/"msg":"first cycle complete"/);
    if (existsSync(`/proc/${service.child.pid}/cmdline`)) {
      // The same process (execve: same pid) now runs with the memory settings of bin/runtime-tuning.js.
      const argv = readFileSync(`/proc/${service.child.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of SERVICE_V8_FLAGS) assert.ok(argv.includes(flag), `${flag} missing from ${argv.join(' ')}`);
      const environ = readFileSync(`/proc/${service.child.pid}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(SERVICE_ENV))
        assert.ok(environ.includes(`${name}=${value}`), `${name} not set`);
    }
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/api/v1/runs`)).status, 401);
    const runs = (await (
      await fetch(`${url}/api/v1/runs`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { runs: Array<{ provider: string; status: string }> };
    assert.deepEqual(
      runs.runs.map((run) => [run.provider, run.status]),
      [['exporter_host', 'ok']],
    );
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    assert.match(metrics, /^optiinfra_collector_runs_total\{provider="exporter_host",status="ok"\} 1$/m);
    assert.match(metrics, /^optiinfra_hw_gpu_\w+\{provider="exporter_host",/m);
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
    assert.match(service.stderr(), /"msg":"stopped"/);
    assert.ok(!service.stderr().includes(token), 'the API token appears in the logs');
  } finally {
    await host.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
