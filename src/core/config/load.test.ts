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
  envOverrides: { GRAPHQL_URL: 'api.graphql_url' },
  create: () => ({ collect: async () => undefined, shutdown: async () => undefined }),
};
const fakeDedicated: SourceFactory = {
  type: 'bigcloud',
  role: 'dedicated',
  description: 'test dedicated',
  collects: ['cost'],
  configSchema: s.object({ regions: s.list(s.string()) }),
  envOverrides: { REGIONS: 'regions' },
  create: () => ({ collect: async () => undefined, shutdown: async () => undefined }),
};
const registry = createRegistry([fakeAdapter, fakeDedicated], ['gcp']);

test('reports a misspelt key, a wrong type and a malformed URL at once, with paths and lines, and no secret', () => {
  const text = [
    'providers:',
    '  acme:',
    '    enabled: true',
    '    promethus_url: http://localhost:9090',
    '    interval: [1, 2]',
    '    scrape_targets:',
    '      - "http//not a url"',
    '    api:',
    '      adapter: fakecloud',
    '      api_key: sk-live-TOPSECRET-998877',
    '',
  ].join('\n');
  const result = loadConfigText(text, registry, {});
  assert.equal(result.config, undefined);
  const byPath = new Map(result.problems.map((problem) => [problem.path, problem]));
  assert.match(
    byPath.get('providers.acme.promethus_url')?.message ?? '',
    /unknown key "promethus_url" \(did you mean "prometheus_url"\?\)/,
  );
  assert.equal(byPath.get('providers.acme.promethus_url')?.line, 4);
  assert.match(byPath.get('providers.acme.interval')?.message ?? '', /expected a duration/);
  assert.equal(byPath.get('providers.acme.interval')?.line, 5);
  assert.match(byPath.get('providers.acme.scrape_targets[0]')?.message ?? '', /not a valid URL/);
  assert.equal(byPath.get('providers.acme.scrape_targets[0]')?.line, 7);
  assert.equal(result.problems.length, 3);
  assert.ok(!JSON.stringify(result).includes('TOPSECRET'));
});

test('derived env overrides work for any provider name, including new ones', () => {
  const text = 'providers:\n  vast-ai:\n    enabled: false\n';
  const result = loadConfigText(text, registry, {
    VAST_AI_ENABLED: 'true',
    VAST_AI_PROMETHEUS_URL: 'http://prom.example:9090/',
    VAST_AI_SCRAPE_TARGETS: 'http://a:9400/metrics, http://b:9400/metrics',
    VAST_AI_INTERVAL: '30s',
  });
  assert.deepEqual(result.problems, []);
  const provider = result.config?.providers['vast-ai'];
  assert.equal(provider?.enabled, true);
  assert.equal(provider?.collector_type, 'generic');
  assert.equal(provider?.generic?.prometheus_url, 'http://prom.example:9090');
  assert.deepEqual(provider?.generic?.scrape_targets, ['http://a:9400/metrics', 'http://b:9400/metrics']);
  assert.equal(provider?.timing.interval, 30_000);
  assert.deepEqual(result.overrides.map((override) => override.variable).sort(), [
    'VAST_AI_ENABLED',
    'VAST_AI_INTERVAL',
    'VAST_AI_PROMETHEUS_URL',
    'VAST_AI_SCRAPE_TARGETS',
  ]);
});

test('API key and URL overrides fill the api block; component overrides too', () => {
  const text = 'providers:\n  fakecloud:\n    enabled: true\n    api: {}\n  bigcloud:\n    enabled: true\n';
  const result = loadConfigText(text, registry, {
    FAKECLOUD_API_KEY: 'k-123456',
    FAKECLOUD_API_URL: 'http://127.0.0.1:1/v9',
    FAKECLOUD_GRAPHQL_URL: 'http://127.0.0.1:2/graphql',
    BIGCLOUD_REGIONS: 'us-east-1,eu-west-1',
  });
  assert.deepEqual(result.problems, []);
  const api = result.config?.providers.fakecloud?.api;
  assert.equal(api?.adapter, 'fakecloud');
  assert.equal(api?.api_key, 'k-123456');
  assert.equal(api?.base_url, 'http://127.0.0.1:1/v9');
  assert.equal(api?.graphql_url, 'http://127.0.0.1:2/graphql');
  assert.equal(result.config?.providers.bigcloud?.collector_type, 'dedicated');
  assert.deepEqual(result.config?.providers.bigcloud?.dedicated?.regions, ['us-east-1', 'eu-west-1']);
});

test('interpolation: ${VAR}, ${VAR:-default}, unset variables leave the key unset', () => {
  const text =
    'storage:\n  url: ${DB:-sqlite:./x.db}\nproviders:\n  p:\n    enabled: true\n    prometheus_url: http://${HOST}:9090\n    prometheus_selector: ${SEL:-}\n';
  const result = loadConfigText(text, registry, { HOST: 'prom' });
  assert.deepEqual(result.problems, []);
  assert.equal(result.config?.storage.url, 'sqlite:./x.db');
  assert.equal(result.config?.providers.p?.generic?.prometheus_url, 'http://prom:9090');
  assert.equal(result.config?.providers.p?.generic?.prometheus_selector, undefined);
});

test('only scrape_targets or only api is valid with a warning; nothing at all is an error', () => {
  const text =
    'providers:\n  a:\n    enabled: true\n    scrape_targets: [http://h:9400/metrics]\n  b:\n    enabled: true\n    api: {adapter: fakecloud, api_key: abcdef}\n  c:\n    enabled: true\n';
  const result = loadConfigText(text, registry, {});
  assert.deepEqual(
    result.problems.map((problem) => problem.path),
    ['providers.c'],
  );
  assert.deepEqual(result.warnings.map((warning) => warning.path).sort(), [
    'providers.a.prometheus_url',
    'providers.b.prometheus_url',
  ]);
});

test('disabled providers may lack credentials but typos are still errors; planned dedicated ones are accepted', () => {
  const text =
    'providers:\n  gcp:\n    enabled: false\n    project_id: x\n  d:\n    enabled: false\n    api: {adapter: fakecloud}\n    intervl: 5m\n';
  const result = loadConfigText(text, registry, {});
  assert.deepEqual(
    result.problems.map((problem) => problem.path),
    ['providers.d.intervl'],
  );
  const enabled = loadConfigText('providers:\n  gcp:\n    enabled: true\n', registry, {});
  assert.match(enabled.problems[0]?.message ?? '', /no dedicated collector "gcp" is available yet \(planned\)/);
});

test('YAML syntax errors carry their line; unknown adapters suggest the closest', () => {
  const broken = loadConfigText('providers:\n  a:\n    enabled: true\n   bad indent: [\n', registry, {});
  assert.ok(broken.problems.length > 0 && broken.problems[0]?.line !== undefined);
  const typo = loadConfigText('providers:\n  a:\n    enabled: true\n    api: {adapter: fakeclod}\n', registry, {});
  assert.match(typo.problems[0]?.message ?? '', /did you mean "fakecloud"/);
});

test('the shipped providers.yaml declares the 15 seed providers, all disabled', async () => {
  const { readFileSync } = await import('node:fs');
  const { defaultRegistry } = await import('../../sources/index.ts');
  const result = loadConfigText(
    readFileSync(new URL('../../../providers.yaml', import.meta.url), 'utf8'),
    defaultRegistry(),
    {},
  );
  assert.deepEqual(result.problems, []);
  const providers = Object.values(result.config?.providers ?? {});
  assert.deepEqual(
    providers.map((provider) => provider.name),
    [
      'aws',
      'gcp',
      'azure',
      'vultr',
      'runpod',
      'lambda_labs',
      'coreweave',
      'paperspace',
      'digitalocean',
      'linode',
      'hetzner',
      'ovhcloud',
      'onprem',
      'kubernetes',
      'docker',
    ],
  );
  assert.ok(providers.every((provider) => !provider.enabled));
  assert.deepEqual(
    providers.filter((provider) => provider.collector_type === 'dedicated').map((provider) => provider.name),
    ['aws', 'gcp', 'azure'],
  );
});

test('one pass: a top-level typo does not hide provider-level problems', () => {
  const text =
    'colection:\n  interval: 5m\nstorage:\n  retension: 1d\nproviders:\n  a:\n    enabled: true\n    promethus_url: http://p:9090\n';
  const result = loadConfigText(text, registry, {});
  const byPath = new Map(result.problems.map((problem) => [problem.path, problem]));
  assert.deepEqual([...byPath.keys()].sort(), ['colection', 'providers.a.promethus_url', 'storage.retension']);
  assert.match(byPath.get('colection')?.message ?? '', /did you mean "collection"/);
  assert.equal(byPath.get('colection')?.line, 1);
  assert.equal(byPath.get('storage.retension')?.line, 4);
  assert.equal(byPath.get('providers.a.promethus_url')?.line, 8);
});

test('durations need a unit: a bare number is refused with a hint, in YAML and from env overrides', () => {
  const text =
    'storage:\n  retention: 1\ncollection:\n  timeout: "30"\nproviders:\n  a:\n    enabled: true\n    prometheus_url: http://p:9090\n';
  const result = loadConfigText(text, registry, { A_INTERVAL: '60' });
  const byPath = new Map(result.problems.map((problem) => [problem.path, problem.message]));
  assert.match(byPath.get('storage.retention') ?? '', /a number needs a unit: "1s" or "1m"/);
  assert.match(byPath.get('collection.timeout') ?? '', /a number needs a unit: "30s"/);
  assert.match(byPath.get('providers.a.interval') ?? '', /a number needs a unit: "60s"/);
  const ok = loadConfigText('storage:\n  retention: 1d12h\nproviders:\n  a:\n    enabled: false\n', registry, {});
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.config?.storage.retention, 36 * 3_600_000);
});

test('an empty file, a file without providers and an empty providers mapping are errors', () => {
  for (const text of [
    '',
    '# only a comment\n',
    'storage:\n  url: sqlite:./x.db\n',
    'providers: {}\n',
    'providers:\n',
  ]) {
    const result = loadConfigText(text, registry, {});
    assert.equal(result.config, undefined, JSON.stringify(text));
    assert.equal(result.problems.length, 1, JSON.stringify(text));
    assert.match(result.problems[0]?.message ?? '', /empty|declare at least/, JSON.stringify(text));
  }
  assert.match(loadConfigText('- a\n- b\n', registry, {}).problems[0]?.message ?? '', /expected a mapping at the top/);
});

test("an object's cross-key check runs for an adapter's api block, only while the provider is enabled", () => {
  const checked: SourceFactory = {
    ...fakeAdapter,
    type: 'kubecloud',
    configSchema: s.object(
      { kubeconfig: s.string(), token: s.string({ secret: true }) },
      {
        check(value, path, context) {
          if (value.kubeconfig === undefined && value.token === undefined)
            context.problems.push({ path: `${path}.kubeconfig`, message: 'is required: set kubeconfig or token' });
        },
      },
    ),
  };
  const withCheck = createRegistry([checked]);
  const enabled = loadConfigText(
    'providers:\n  k:\n    enabled: true\n    api:\n      adapter: kubecloud\n',
    withCheck,
    {},
  );
  assert.deepEqual(
    enabled.problems.map((problem) => [problem.path, problem.line]),
    [['providers.k.api.kubeconfig', 4]],
  );
  const disabled = loadConfigText(
    'providers:\n  k:\n    enabled: false\n    api:\n      adapter: kubecloud\n',
    withCheck,
    {},
  );
  assert.deepEqual(disabled.problems, []);
});

test('a YAML alias bomb is one CONFIG problem, found at once, not an exception', () => {
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  let previous = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    previous = name;
  }
  lines.push('providers:', '  x:', '    enabled: false', '    metrics: *i', '');
  const started = performance.now();
  const result = loadConfigText(lines.join('\n'), registry, {});
  assert.ok(performance.now() - started < 2_000, `${performance.now() - started} ms`);
  assert.equal(result.config, undefined);
  assert.deepEqual(
    result.problems.map((problem) => problem.path),
    ['(yaml)'],
  );
  assert.match(result.problems[0]?.message ?? '', /alias expansion is limited to 100 references \(an alias bomb\?\)/);
  // A few aliases, as people use them to share settings, still load.
  const shared = loadConfigText(
    'providers:\n  a:\n    enabled: false\n    scrape_targets: &targets ["http://10.0.0.1:9400/metrics"]\n  b:\n    enabled: false\n    scrape_targets: *targets\n',
    registry,
    {},
  );
  assert.deepEqual(shared.problems, []);
  assert.deepEqual(shared.config?.providers.b?.generic?.scrape_targets, ['http://10.0.0.1:9400/metrics']);
});

test('provider and key names that are Object.prototype members are names like any other, never dropped', () => {
  const text = [
    'providers:',
    '  __proto__:',
    '    enabled: true',
    '    scrape_targets: ["http://10.0.0.1:9400/metrics"]',
    '  constructor:',
    '    enabled: false',
    '    scrape_targets: ["http://10.0.0.1:9400/metrics"]',
    '  tostring:',
    '    enabled: false',
    '    constructor: 5',
    '    __proto__: { enabled: true }',
    '',
  ].join('\n');
  const result = loadConfigText(text, registry, {});
  assert.deepEqual(
    result.problems.map((problem) => [problem.path, problem.line]),
    [
      ['providers.__proto__', 2],
      ['providers.tostring.constructor', 10],
      ['providers.tostring.__proto__', 11],
    ],
  );
  assert.match(result.problems[0]?.message ?? '', /provider name "__proto__" must be lower-case/);
  assert.match(result.problems[1]?.message ?? '', /unknown key "constructor"/);
  const valid = loadConfigText(
    text.split('\n').slice(0, 1).concat(text.split('\n').slice(4, 7)).join('\n'),
    registry,
    {},
  );
  assert.deepEqual(valid.problems, []);
  assert.ok(valid.config && Object.hasOwn(valid.config.providers, 'constructor'));
  assert.equal(valid.config.providers.constructor?.name, 'constructor');
  assert.equal(Object.hasOwn(valid.config.providers, 'toString'), false);
});

test('a duplicate key is a problem with its line, at any depth', () => {
  const result = loadConfigText(
    'providers:\n  a:\n    enabled: false\n    enabled: true\n  b:\n    enabled: false\n  a:\n    enabled: true\n',
    registry,
    {},
  );
  assert.deepEqual(
    result.problems.map((problem) => [problem.path, problem.message, problem.line]),
    [
      ['(yaml)', 'duplicate key "enabled" in providers.a: map keys must be unique', 4],
      ['(yaml)', 'duplicate key "a" in providers: map keys must be unique', 7],
    ],
  );
});
