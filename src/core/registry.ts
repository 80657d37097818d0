// The registry: one explicit list of source factories (src/sources/index.ts) indexed by type.
// A duplicate type is an error at start-up, not a silent override.

import type { ComponentLookup } from './config/load.ts';
import type { SourceFactory, SourceRole } from './source.ts';

/** Factories by type, with role queries. */
export interface Registry extends ComponentLookup {
  all(): readonly SourceFactory[];
}

/** Builds a registry; throws on duplicate types. */
export function createRegistry(factories: readonly SourceFactory[], planned: readonly string[] = []): Registry {
  const byType = new Map<string, SourceFactory>();
  for (const factory of factories) {
    if (byType.has(factory.type))
      throw new Error(`duplicate source type ${JSON.stringify(factory.type)} in the registry`);
    byType.set(factory.type, factory);
  }
  return {
    get: (type) => byType.get(type),
    typesOf: (role: SourceRole) => factories.filter((factory) => factory.role === role).map((factory) => factory.type),
    all: () => factories,
    planned,
  };
}
