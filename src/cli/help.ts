// Usage text. Kept free of imports so `--help` is instant.

/** The package version. */
export const VERSION = '0.1.0';

/** `--help` output. */
export const HELP = `optiinfra-collector ${VERSION}
Collects cost (FOCUS 1.2), metrics and inventory from AWS, GPU clouds and any Prometheus.

Usage: optiinfra-collector <command> [options]

Commands:
  collect                     run one collection cycle over enabled providers
      -p, --provider NAME     only this provider (repeatable)
      --json                  print {"runs":[...]} instead of a table
  run                         the service: every enabled provider on its schedule, HTTP API on
                              server.listen (--listen HOST:PORT; OPTIINFRA_API_TOKEN for auth)
  providers list [--json]     list configured and known providers
  providers add NAME          add a generic provider to providers.yaml (comments kept)
      --prometheus-url URL    Prometheus HTTP API of the provider
      --prometheus-selector S label matchers added to every query, e.g. job="x"
      --scrape-target URL     an exporter /metrics URL (repeatable)
      --adapter NAME          a billing/inventory API adapter (vultr, runpod, ...)
      --api-url URL           the adapter's base URL
      --dcgm --vllm           collect DCGM GPU / vLLM metrics
      --disabled              add it disabled
  config validate             validate providers.yaml; every problem with its key path
  config env-example [-o F]   print (or write) .env.example generated from the registry
      --check                 exit 1 when the file F differs from what would be generated
  demo                        start the simulator and collect every provider from it

Options:
  -c, --config PATH           configuration file (else $OPTIINFRA_CONFIG, else ./providers.yaml)
  --log-level LEVEL           trace|debug|info|warn|error (default info; $OPTIINFRA_LOG_LEVEL)
  -h, --help                  this text
  -v, --version               the version

Exit codes: 0 success, 1 a provider failed, 2 bad configuration or usage.
`;
