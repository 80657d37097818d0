// The simulated exporter host: page builders, the HTTP server and its simulated-provider entry.

export * from './pages.ts';
export {
  startExporterHost,
  negotiateFormat,
  type ExporterHost,
  type ExporterHostOptions,
  type ServedPage,
} from './server.ts';
export { exporterHostProvider } from './provider.ts';
