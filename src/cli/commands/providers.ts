// `providers list` and `providers add NAME`: adding a generic provider is configuration, no code.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { loadConfigText, resolveConfigPath } from '../../core/config/load.ts';
import { CollectorError } from '../../core/errors.ts';
import { envPrefix } from '../../core/config/env-overrides.ts';
import { withDotEnv } from '../../core/config/dotenv.ts';
import { KNOWN_PROVIDERS } from '../../sources/catalog.ts';
import { defaultRegistry } from '../../sources/index.ts';
import type { CommandArgs } from '../command-table.ts';
import { formatProblem, loadConfigOrThrow } from '../load-config.ts';
import { renderTable } from '../table.ts';

/** Runs `providers list`. */
export async function list({ values }: CommandArgs): Promise<number> {
  const { config, registry } = loadConfigOrThrow(
    values.config as string | undefined,
    defaultRegistry(),
    values.json === true,
  );
  const rows = Object.values(config.providers).map((provider) => {
    const known = KNOWN_PROVIDERS.find((item) => item.name === provider.name);
    const sources =
      provider.collector_type === 'dedicated'
        ? [
            `${provider.type ?? provider.name} (${registry.get(provider.type ?? provider.name) ? 'available' : 'planned'})`,
          ]
        : [
            ...(provider.generic?.prometheus_url ? ['prometheus'] : []),
            ...(provider.generic?.scrape_targets.length ? [`scrape×${provider.generic.scrape_targets.length}`] : []),
            ...(provider.api ? [`api:${provider.api.adapter}`] : []),
          ];
    return {
      name: provider.name,
      display_name:
        provider.display_name === provider.name ? (known?.display_name ?? provider.name) : provider.display_name,
      collector_type: provider.collector_type,
      enabled: provider.enabled,
      sources,
      env_prefix: envPrefix(provider.name),
    };
  });
  if (values.json === true) {
    process.stdout.write(
      `${JSON.stringify({ providers: rows, components: registry.all().map((factory) => ({ type: factory.type, role: factory.role, collects: factory.collects, description: factory.description })) })}\n`,
    );
    return 0;
  }
  process.stdout.write(
    renderTable(
      ['PROVIDER', 'NAME', 'TYPE', 'ENABLED', 'SOURCES', 'ENV PREFIX'],
      rows.map((row) => [
        row.name,
        row.display_name,
        row.collector_type,
        row.enabled ? 'yes' : 'no',
        row.sources.join(', ') || '-',
        `${row.env_prefix}_`,
      ]),
    ),
  );
  return 0;
}

/** Runs `providers add NAME`. */
export async function add({ values, positionals }: CommandArgs): Promise<number> {
  const [name] = positionals;
  // The parser requires NAME (command-table.ts); this guards a caller that skipped it.
  if (name === undefined) throw new CollectorError('USAGE', 'providers add: a provider NAME is required');
  const path = resolveConfigPath(values.config as string | undefined);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : 'providers: {}\n';
  const document = parseDocument(text);
  if (document.hasIn(['providers', name]))
    throw new CollectorError('USAGE', `providers add: ${name} already exists in ${path}; edit it there`);
  const targets = (values['scrape-target'] as string[] | undefined) ?? [];
  const block: Record<string, unknown> = { enabled: values.disabled !== true, collector_type: 'generic' };
  if (typeof values['prometheus-url'] === 'string') block.prometheus_url = values['prometheus-url'];
  if (typeof values['prometheus-selector'] === 'string') block.prometheus_selector = values['prometheus-selector'];
  if (targets.length > 0) block.scrape_targets = targets;
  if (values.dcgm === true) block.dcgm = true;
  if (values.vllm === true) block.vllm = true;
  if (typeof values.adapter === 'string') {
    block.api = {
      adapter: values.adapter,
      ...(typeof values['api-url'] === 'string' ? { base_url: values['api-url'] } : {}),
      api_key: `\${${envPrefix(name)}_API_KEY}`,
    };
  }
  if (block.prometheus_url === undefined && targets.length === 0 && block.api === undefined) {
    throw new CollectorError(
      'USAGE',
      'providers add: give at least one source: --prometheus-url URL, --scrape-target URL or --adapter NAME',
    );
  }
  if (!document.has('providers') || document.get('providers') === null)
    document.set('providers', document.createNode({}));
  document.setIn(['providers', name], document.createNode(block));
  const updated = document.toString();
  // Validate the whole file as it would be after the edit; write nothing when it would be invalid.
  const result = loadConfigText(updated, defaultRegistry(), withDotEnv(process.env, '.env'), path);
  if (!result.config) {
    const lines = result.problems.map((problem) => `  - ${formatProblem(problem, path)}`);
    throw new CollectorError(
      'CONFIG_INVALID',
      `providers add: ${path} would be invalid, nothing written:\n${lines.join('\n')}`,
    );
  }
  writeFileSync(path, updated);
  const prefix = envPrefix(name);
  process.stdout.write(
    `added ${name} to ${path}\nenv overrides: ${prefix}_ENABLED, ${prefix}_PROMETHEUS_URL, ${prefix}_SCRAPE_TARGETS, ${prefix}_API_KEY, ${prefix}_API_URL\n`,
  );
  return 0;
}
