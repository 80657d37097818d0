// A hostile exporter for memory tests, run as a child process so its own allocations stay out of the measured
// process: serves /metrics as `argv[2]` DCGM series (8 GPUs, an extra label making every series distinct),
// generated in chunks as the socket drains; any other path is a 404. Prints its URL on stdout.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const series = Number(process.argv[2] ?? 1_000_000);
const server = createServer((request, response) => {
  if (request.url !== '/metrics') {
    process.stderr.write(`unexpected request ${request.method} ${request.url}\n`);
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  response.write('# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).\n# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n');
  let next = 0;
  const write = (): void => {
    while (next < series) {
      let chunk = '';
      for (const end = Math.min(series, next + 10_000); next < end; next++)
        chunk += `DCGM_FI_DEV_GPU_TEMP{gpu="${next % 8}",UUID="GPU-${next % 8}",s="${next}"} 42\n`;
      if (!response.write(chunk)) {
        response.once('drain', write);
        return;
      }
    }
    response.end();
  };
  write();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
