// The `run` command as a child process: refuses a non-loopback listener without a token, serves the API
// with bearer auth, collects on schedule, and exits 0 on SIGTERM after a graceful shutdown.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
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
  // Every child started here, killed at the end even when an assertion fails (a live child keeps the file running).
  const children: Array<ReturnType<typeof start>> = [];
  const started = (...args: Parameters<typeof start>): ReturnType<typeof start> => {
    const child = start(...args);
    children.push(child);
    return child;
  };
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

    const refused = started(configPath, ['--listen', '0.0.0.0:0'], { OPTIINFRA_API_TOKEN: '' });
    assert.equal(await refused.exited, 2);
    assert.match(refused.stderr(), /set OPTIINFRA_API_TOKEN/);
    for (const weak of ['hunter2', '               ']) {
      const refusedWeak = started(configPath, ['--listen', '0.0.0.0:0'], { OPTIINFRA_API_TOKEN: weak });
      assert.equal(await refusedWeak.exited, 2);
      assert.match(refusedWeak.stderr(), /error \[CONFIG_INVALID\]: .*OPTIINFRA_API_TOKEN .*at least 16 characters/);
      assert.ok(!refusedWeak.stderr().includes('hunter2'));
    }

    const token = 'run-test-token-abcdef';
    const service = started(configPath, [], { OPTIINFRA_API_TOKEN: token });
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
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await host.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

/** Resident memory of a process in bytes (Linux /proc). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

// The flood the adversarial test used, and its variants: 600 POSTs without a token that send 1 MiB (all but its last
// byte, then stall) announced by Content-Length, as chunks without a length, or a 16,000-byte body one byte short.
// Before: the server buffered every body before checking the token (RSS +638 MB here, 145 -> 830 MB in the report)
// and kept each connection up to a minute. Bounded here in count (600 sockets) and time (under 30 s), loopback only.
test(
  'run: an unauthenticated body flood is refused on headers: RSS stays bounded, connections are closed, /healthz answers',
  { skip: !existsSync('/proc/self/status') && 'needs /proc for RSS' },
  async (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'optiinfra-flood-'));
    const sockets: Socket[] = [];
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(
      configPath,
      stringify({
        storage: { url: `sqlite:${join(directory, 'flood.db')}` },
        server: { listen: '127.0.0.1:0' },
        providers: { dormant: { enabled: false, scrape_targets: ['http://127.0.0.1:9/metrics'] } },
      }),
    );
    const service = start(configPath, [], { OPTIINFRA_API_TOKEN: 'flood-test-token-0123456789' });
    try {
      const [, url] = await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:(\d+))"/);
      const port = Number(new URL(url ?? '').port);
      const pid = service.child.pid ?? 0;
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const baseline = rssOf(pid);
      const started = performance.now();
      const megabyte = Buffer.alloc(1024 * 1024 - 1, 0x20);
      const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
      const chunked = Buffer.concat(Array.from({ length: 16 }, () => chunk));
      const short = Buffer.alloc(15_999, 0x20);
      const request = 'POST /api/v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
      const floods: Array<[string, Buffer]> = [
        [`${request}Content-Length: ${megabyte.length + 1}\r\n\r\n`, megabyte],
        [`${request}Transfer-Encoding: chunked\r\n\r\n`, chunked],
        [`${request}Content-Length: ${short.length + 1}\r\n\r\n`, short],
      ];
      let peak = baseline;
      const sample = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
      const answers: string[] = [];
      const closed: Array<Promise<void>> = [];
      for (let index = 0; index < 600; index += 1) {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        closed.push(
          new Promise<void>((resolve) =>
            socket.once('close', () => {
              answers.push(answer);
              resolve();
            }),
          ),
        );
        const [head, body] = floods[index % floods.length] ?? floods[0]!;
        socket.write(head);
        socket.write(body);
        if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      // While the flood is on, /healthz still answers (a retry or two if the connection cap is reached).
      let healthy = false;
      for (let attempt = 0; attempt < 50 && !healthy; attempt += 1) {
        healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.status === 200,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(healthy, '/healthz did not answer during the flood');
      let timer: NodeJS.Timeout | undefined;
      const allClosed = await Promise.race([
        Promise.all(closed).then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 20_000))),
      ]);
      clearTimeout(timer);
      clearInterval(sample);
      const seconds = (performance.now() - started) / 1000;
      const growth = peak - baseline;
      const unauthorized = answers.filter((answer) => answer.startsWith('HTTP/1.1 401')).length;
      const tooLarge = answers.filter((answer) => answer.startsWith('HTTP/1.1 413')).length;
      t.diagnostic(
        `600 unauthenticated POSTs of up to 1 MiB: RSS ${(baseline / 2 ** 20).toFixed(0)} -> peak ${(peak / 2 ** 20).toFixed(0)} MB ` +
          `(+${(growth / 2 ** 20).toFixed(0)} MB), ${answers.length} closed after ${seconds.toFixed(1)} s: ${unauthorized} ` +
          `answered 401, ${tooLarge} 413 (announced over 16 KiB), ${answers.filter((answer) => answer === '').length} ` +
          'refused at the connection cap',
      );
      assert.ok(growth < 100 * 2 ** 20, `RSS grew by ${(growth / 2 ** 20).toFixed(0)} MB`);
      assert.ok(allClosed, `${600 - answers.length} flood connections still open after 20 s`);
      assert.ok(unauthorized > 0 && tooLarge > 0, `${unauthorized} answered 401, ${tooLarge} 413`);
      for (const answer of answers.filter((text) => text !== ''))
        assert.match(answer, /^HTTP\/1\.1 (401|413) /, answer.slice(0, 80));
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const ok = await fetch(`${url}/api/v1/collect?wait=false`, {
        method: 'POST',
        headers: { authorization: 'Bearer flood-test-token-0123456789' },
        body: '{}',
      });
      assert.equal(ok.status, 202, 'an authenticated request with a body still works');
    } finally {
      for (const socket of sockets) socket.destroy();
      service.child.kill('SIGTERM');
      await service.exited;
      rmSync(directory, { recursive: true, force: true });
    }
  },
);
