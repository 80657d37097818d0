// Opens the sink a storage URL names: sqlite:PATH (default) or postgres://… (loaded lazily).

import { resolve } from 'node:path';
import { CollectorError } from '../core/errors.ts';
import type { Sink } from '../core/sink.ts';

/** Opens storage for `url`. */
export async function openSink(url: string): Promise<Sink> {
  if (url.startsWith('sqlite:')) {
    const { openSqliteSink } = await import('./sqlite/sink.ts');
    const path = url.slice('sqlite:'.length);
    return openSqliteSink(path === ':memory:' ? path : resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const postgresModule = './postgres/sink.ts';
    const module = (await import(postgresModule).catch(() => undefined)) as { openPostgresSink?: (url: string) => Promise<Sink> } | undefined;
    if (module?.openPostgresSink) return module.openPostgresSink(url);
    throw new CollectorError('NOT_IMPLEMENTED', 'PostgreSQL storage is not available in this build (storage.url: postgres://…)');
  }
  throw new CollectorError('CONFIG_INVALID', `storage.url ${JSON.stringify(url)} is not sqlite:PATH or postgres://…`);
}
