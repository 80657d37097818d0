// Per-target limits (sample_limit, label_limit, label_value_length_limit, GPUs per page) and what a target
// answering anything but a 200 with a page does: redirects followed (bounded), 204 / empty / other 2xx fail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenericConfig } from '../../core/config/types.ts';
import { createTestContext } from '../../../test/support/test-context.ts';
import { startExporterHost } from '../../simulator/exporter-host/server.ts';
import { startSimServer, type SimResponse } from '../../simulator/server.ts';
import { scrapeConfigSchema } from './config.ts';
import { MAX_REDIRECTS } from './client.ts';
import { createScrapeSource } from './source.ts';

function config(targets: string[], extra: Record<string, unknown> = {}): GenericConfig {
  const problems: Array<{ path: string; message: string }> = [];
  const parsed = scrapeConfigSchema.parse({ scrape_targets: targets, ...extra }, 'test', { problems, secrets: [] });
  assert.deepEqual(problems, []);
  return parsed!;
}

async function collect(cfg: GenericConfig) {
  const harness = createTestContext({ provider: 'onprem', retry: { attempts: 1 } });
  try {
    const error = await createScrapeSource('onprem', cfg, { primeDelayMs: 0 })
      .collect(harness.context)
      .then(
        () => undefined,
        (thrown: unknown) => thrown as { code?: string; message: string },
      );
    return { emitter: harness.emitter, error };
  } finally {
    await harness.close();
  }
}

const TEXT = { 'content-type': 'text/plain; version=0.0.4' };
const gpuLine = (uuid: string, extra = ''): string => `DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="${uuid}"${extra}} 40\n`;

/** A target serving fixed answers by path; any other path is a 404 the test sees in `unexpected`. */
async function startPages(pages: Record<string, SimResponse | ((path: string) => SimResponse)>) {
  return startSimServer({
    name: 'pages',
    routes: Object.entries(pages).map(([path, answer]) => ({
      method: 'GET',
      path,
      handle: () => (typeof answer === 'function' ? answer(path) : answer),
    })),
  });
}

test('scrape limits: past sample_limit, label_limit, label_value_length_limit or 256 GPUs, that target alone fails', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const pages = await startPages({
    '/many': { headers: TEXT, body: Array.from({ length: 1001 }, (_, i) => gpuLine('GPU-a', `,s="${i}"`)).join('') },
    '/labels': {
      headers: TEXT,
      body: gpuLine('GPU-b', Array.from({ length: 70 }, (_, i) => `,l${i}="v"`).join('')),
    },
    '/long': { headers: TEXT, body: gpuLine('GPU-c', `,long="${'x'.repeat(3000)}"`) },
    '/gpus': { headers: TEXT, body: Array.from({ length: 257 }, (_, i) => gpuLine(`GPU-${i}`)).join('') },
  });
  try {
    const bad = ['/many', '/labels', '/long', '/gpus'].map((path) => `${pages.url}${path}`);
    const { emitter, error } = await collect(config([host.metricsUrl, ...bad], { sample_limit: 1000 }));
    assert.equal(error, undefined);
    const byTarget = new Map(emitter.partials.map((partial) => [partial.context.url, partial]));
    assert.deepEqual(
      [...byTarget.values()].map((partial) => partial.code),
      ['TARGET_LIMIT_EXCEEDED', 'TARGET_LIMIT_EXCEEDED', 'TARGET_LIMIT_EXCEEDED', 'TARGET_LIMIT_EXCEEDED'],
    );
    assert.match(byTarget.get(bad[0])!.message, /more than 1000 samples \(sample_limit\) at line 1001/);
    assert.match(byTarget.get(bad[1])!.message, /has 72 labels, over label_limit 64/);
    assert.match(
      byTarget.get(bad[2])!.message,
      /label "long" has a 3000-byte value, over label_value_length_limit 2048/,
    );
    assert.match(byTarget.get(bad[3])!.message, /more than 256 GPUs/);
    for (const [url, partial] of byTarget) assert.ok(partial.message.includes(url!), partial.message);
    // Nothing of the failed targets is kept; the exporter host is stored whole (no GPU but its 8).
    const instance = new URL(pages.url).host;
    assert.equal(emitter.samples.filter((sample) => sample.labels.instance === instance).length, 0);
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'gpu').length, 8);
    assert.ok(emitter.samples.length > 100);

    // Limits are per provider: raised (or 0, none) the same pages are stored.
    const raised = await collect(
      config(bad.slice(0, 3), { sample_limit: 0, label_limit: 80, label_value_length_limit: 4096 }),
    );
    assert.deepEqual(raised.emitter.partials, []);
    assert.equal(raised.emitter.samples.length, 1001 + 1 + 1);
    assert.deepEqual(pages.unexpected, []);
  } finally {
    await pages.close();
    await host.close();
  }
});

test('scrape: a redirect is followed (at most 10 hops); 204, other 2xx and empty pages fail naming what came back', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const to = (location: string, status = 302): SimResponse => ({ status, headers: { location }, body: '' });
  const loop: Record<string, SimResponse> = {};
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) loop[`/loop/${hop}`] = to(`/loop/${hop + 1}`);
  const pages = await startPages({
    '/moved': to(host.metricsUrl, 301),
    '/relative': to('/moved', 307),
    ...loop,
    '/nowhere': { status: 302, body: '' },
    '/ftp': to('ftp://example.invalid/metrics'),
    '/no-content': { status: 204 },
    '/accepted': { status: 202, headers: TEXT, body: gpuLine('GPU-x') },
    '/empty': { headers: TEXT, body: '' },
    '/elsewhere': to(host.metricsUrl.replace('127.0.0.1', 'localhost')),
  });
  try {
    const url = (path: string): string => `${pages.url}${path}`;
    const followed = await collect(config([url('/relative')]));
    assert.deepEqual(followed.emitter.partials, []);
    assert.equal(followed.emitter.resourceRows.filter((row) => row.resource_type === 'gpu').length, 8);
    assert.equal(host.served.length, 1);

    const { emitter, error } = await collect(
      config([host.metricsUrl, ...['/loop/0', '/nowhere', '/ftp', '/no-content', '/accepted', '/empty'].map(url)]),
    );
    assert.equal(error, undefined);
    const message = (path: string): string => {
      const partial = emitter.partials.find((item) => item.context.url === url(path));
      assert.ok(partial, `no partial for ${path}: ${emitter.partials.map((item) => item.message).join('\n')}`);
      return partial.message;
    };
    assert.match(message('/loop/0'), /answered HTTP 302 to http:\S+\/loop\/11: stopped after 10 redirects/);
    assert.match(message('/nowhere'), /answered HTTP 302 without a Location header/);
    assert.match(message('/ftp'), /redirecting to ftp:/);
    assert.match(message('/no-content'), /answered HTTP 204 No Content, not 200 with an exposition/);
    assert.match(message('/accepted'), /answered HTTP 202, not 200/);
    assert.match(message('/empty'), /answered HTTP 200 with an empty body/);
    assert.equal(emitter.partials.length, 6);
    assert.ok(emitter.samples.length > 100, 'the good target is stored');

    // With credentials, a redirect to another host is refused rather than followed with them.
    const served = host.served.length;
    const auth = { bearer_token: 'secret-token-1', headers: {}, insecure_skip_verify: false };
    const refused = await collect(config([url('/elsewhere')], { scrape_auth: auth }));
    assert.match(refused.error!.message, /redirecting to another host \(http:\/\/localhost:\d+\/metrics\)/);
    assert.equal(host.served.length, served, 'the other host was never asked');
    assert.deepEqual(pages.unexpected, []);
  } finally {
    await pages.close();
    await host.close();
  }
});
