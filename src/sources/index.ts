// THE list of source factories. Adding a component = one import and one entry here.

import type { SourceFactory } from '../core/source.ts';
import { createRegistry, type Registry } from '../core/registry.ts';
import { PLANNED_DEDICATED } from './catalog.ts';
import { prometheusFactory } from './prometheus/factory.ts';
import { scrapeFactory } from './scrape/factory.ts';
import { awsFactory } from './aws/factory.ts';
import { gcpFactory } from './gcp/factory.ts';
import { coreweaveFactory } from './coreweave/factory.ts';
import { lambdaLabsFactory } from './lambda-labs/factory.ts';
import { paperspaceFactory } from './paperspace/factory.ts';
import { runpodFactory } from './runpod/factory.ts';
import { vultrFactory } from './vultr/factory.ts';
import { hetznerFactory } from './hetzner/factory.ts';
import { linodeFactory } from './linode/factory.ts';
import { ovhcloudFactory } from './ovhcloud/factory.ts';
import { digitaloceanFactory } from './digitalocean/factory.ts';

/** Every registered factory. Heavy SDKs load lazily inside each source's collect(). */
export const SOURCE_FACTORIES: readonly SourceFactory[] = [
  prometheusFactory,
  scrapeFactory,
  awsFactory,
  gcpFactory,
  lambdaLabsFactory,
  coreweaveFactory,
  paperspaceFactory,
  vultrFactory,
  runpodFactory,
  hetznerFactory,
  linodeFactory,
  ovhcloudFactory,
  digitaloceanFactory,
];

/** The registry built from SOURCE_FACTORIES. */
export function defaultRegistry(): Registry {
  const registered = new Set(SOURCE_FACTORIES.map((factory) => factory.type));
  return createRegistry(
    SOURCE_FACTORIES,
    PLANNED_DEDICATED.filter((type) => !registered.has(type)),
  );
}
