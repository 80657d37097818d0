// Real Prometheus and node_exporter processes for integration tests and benchmarks (the code lives beside the
// prometheus simulation, which uses it too).

export * from '../../../src/simulator/prometheus/real-prometheus.ts';
