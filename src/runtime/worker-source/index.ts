// Isolated sources: a Source run in a worker thread per collect(), so heavy SDK memory is freed after each run.

export { createWorkerSource, type WorkerSourceOptions } from './create-worker-source.ts';
