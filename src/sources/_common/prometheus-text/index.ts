// Prometheus text 0.0.4 / OpenMetrics 1.0 exposition parser: public surface.
export { createExpositionParser, parseExposition } from './parser.ts';
export type { ExpositionParser } from './parser.ts';
export type {
  ExpositionSample,
  FamilyMeta,
  LimitExceeded,
  MetricType,
  ParseError,
  ParseOptions,
  ParseResult,
} from './types.ts';
