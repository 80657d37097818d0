// THE list of CLI commands: each declares its words, arguments, flags and usage text here, and loads its
// module only when it runs (so `--help` loads no SDK). Adding a command is one entry in COMMANDS.

import type { Flag } from './flags.ts';

/** What a command receives: its parsed flags (global ones included) and its positional arguments. */
export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/** One command of the CLI. */
export interface Command {
  /** The words that select it, e.g. `providers add`. */
  name: string;
  /** Its positional arguments, all required, e.g. `['NAME']`; none when absent. */
  arguments?: readonly string[];
  /** One line for the global help. */
  summary: string;
  /** More lines for its own usage text (what else to know, an example). */
  details?: string;
  /** Its own flags; the global ones (flags.ts) come on top. */
  flags: readonly Flag[];
  /** Runs it (importing its module now); resolves with the exit code. */
  run(args: CommandArgs): Promise<number>;
}

const json = (what: string): Flag => ({ name: 'json', doc: `print ${what} instead of text` });

/** `-o FILE` and `--check` of the commands that generate a file (config env-example, ...). */
export const OUTPUT_FLAG: Flag = { name: 'output', short: 'o', value: 'FILE', doc: 'write FILE instead of printing' };
/** See OUTPUT_FLAG. */
export const CHECK_FLAG: Flag = {
  name: 'check',
  doc: 'with -o: write nothing; exit 1 when FILE differs from what would be generated',
};

/** Every command, in the order the global help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'collect',
    summary: 'run one collection cycle over enabled providers',
    details:
      'Live progress on a terminal, then a table per provider. Exit 1 when a provider failed or batches stay\n' +
      'spooled because storage is unreachable.',
    flags: [
      { name: 'provider', short: 'p', value: 'NAME', repeatable: true, doc: 'only this provider' },
      json('{"runs":[...]}'),
    ],
    run: async (args) => (await import('./commands/collect.ts')).run(args),
  },
  {
    name: 'run',
    summary: 'the service: every enabled provider on its schedule, HTTP API on server.listen',
    details:
      'OPTIINFRA_API_TOKEN sets the API bearer token (required to listen beyond loopback). SIGINT or SIGTERM\n' +
      'stops it gracefully. For one provider, once: collect --provider NAME.',
    flags: [{ name: 'listen', value: 'HOST:PORT', doc: 'serve the HTTP API here instead of server.listen' }],
    run: async (args) => (await import('./commands/run.ts')).run(args),
  },
  {
    name: 'providers list',
    summary: 'list configured and known providers',
    flags: [json('{"providers":[...],"components":[...]}')],
    run: async (args) => (await import('./commands/providers.ts')).list(args),
  },
  {
    name: 'providers add',
    arguments: ['NAME'],
    summary: 'add a generic provider to providers.yaml (comments kept)',
    details:
      'Give at least one source (--prometheus-url, --scrape-target or --adapter). The whole file is\n' +
      'validated as it would be after the edit; nothing is written when it would be invalid.\n' +
      'DCGM, node_exporter and vLLM metrics are detected; --dcgm / --vllm make their absence a partial run.\n' +
      'Example: optiinfra-collector providers add vastai --scrape-target http://10.0.0.5:9400/metrics',
    flags: [
      { name: 'prometheus-url', value: 'URL', doc: 'Prometheus HTTP API of the provider' },
      { name: 'prometheus-selector', value: 'S', doc: 'label matchers added to every query, e.g. job="x"' },
      { name: 'scrape-target', value: 'URL', repeatable: true, doc: 'an exporter /metrics URL' },
      { name: 'adapter', value: 'NAME', doc: 'a billing/inventory API adapter (vultr, runpod, ...)' },
      { name: 'api-url', value: 'URL', doc: "the adapter's base URL" },
      { name: 'dcgm', doc: 'expect DCGM GPU metrics (detected anyway; absent -> partial)' },
      { name: 'vllm', doc: 'expect vLLM metrics (detected anyway; absent -> partial)' },
      { name: 'disabled', doc: 'add it disabled' },
    ],
    run: async (args) => (await import('./commands/providers.ts')).add(args),
  },
  {
    name: 'config validate',
    summary: 'validate providers.yaml; every problem with its key path',
    details: 'Exit 2 when the configuration is invalid.',
    flags: [json('{"valid":...,"problems":[...],...}')],
    run: async (args) => (await import('./commands/config.ts')).validate(args),
  },
  {
    name: 'config env-example',
    summary: 'print (or write) .env.example generated from the registry',
    flags: [OUTPUT_FLAG, CHECK_FLAG],
    run: async (args) => (await import('./commands/config.ts')).envExample(args),
  },
  {
    name: 'config schema',
    summary: 'print (or write) the JSON Schema of providers.yaml, for editors',
    details: 'providers.yaml names providers.schema.json in a yaml-language-server modeline.',
    flags: [OUTPUT_FLAG, CHECK_FLAG],
    run: async (args) => (await import('./commands/config.ts')).schema(args),
  },
  {
    name: 'demo',
    summary: 'start the simulator and collect every provider from it',
    details: 'Writes data/demo/providers.yaml and data/demo/optiinfra-demo.db in the current directory.',
    flags: [{ name: 'keep-running', doc: 'keep the simulator running after the report (Ctrl-C stops it)' }],
    run: async (args) => (await import('./commands/demo.ts')).run(args),
  },
];
