// The SDK's HTTP handler with a response size cap: AWS SDK calls do not go through our HTTP client, so
// the cap every outbound call must have is enforced here, on the byte stream, before the SDK buffers it.

import { Transform, type Readable } from 'node:stream';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { CollectorError } from '../../core/errors.ts';

type HandlerModule = typeof import('@smithy/node-http-handler');
type Handle = NodeHttpHandler['handle'];

/** A request handler for SDK clients that fails bodies over `maxBytes` with RESPONSE_TOO_LARGE. */
export function cappedRequestHandler(module: HandlerModule, provider: string, maxBytes: number): NodeHttpHandler {
  const inner = new module.NodeHttpHandler();
  const tooLarge = (size: string): CollectorError =>
    new CollectorError(
      'RESPONSE_TOO_LARGE',
      `${provider}: an AWS response of ${size} is over the ${maxBytes}-byte cap`,
      { provider },
    );
  const handle: Handle = async (request, options) => {
    const result = await inner.handle(request, options);
    const response = result.response;
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    const body = response.body as Readable | undefined;
    if (Number.isFinite(declared) && declared > maxBytes) {
      body?.destroy();
      throw tooLarge(`${declared} bytes`);
    }
    if (body && typeof body.pipe === 'function') {
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > maxBytes) {
            body.destroy();
            done(tooLarge(`more than ${maxBytes} bytes`));
            return;
          }
          done(null, chunk);
        },
      });
      body.on('error', (error) => counter.destroy(error));
      response.body = body.pipe(counter);
    }
    return result;
  };
  const wrapper: Pick<
    NodeHttpHandler,
    'handle' | 'destroy' | 'updateHttpClientConfig' | 'httpHandlerConfigs' | 'metadata'
  > = {
    handle,
    destroy: () => inner.destroy(),
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    metadata: inner.metadata,
  };
  return wrapper as NodeHttpHandler;
}
