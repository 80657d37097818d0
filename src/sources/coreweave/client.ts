// The Kubernetes API seam for CoreWeave: connection from kubeconfig or base_url + token, paged node and pod lists.

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import type { HttpClient } from '../../core/http.ts';
import { connectionFromKubeconfigFile, type KubeConnection } from '../_common/kubernetes/kubeconfig.ts';
import { listPages, type KubePage } from '../_common/kubernetes/list.ts';
import type { CoreweaveConfig } from './config.ts';
import type { KubeNode, KubePod } from './map.ts';

/** Kubernetes calls used by the collector. */
export interface CoreweaveClient {
  readonly clusterName: string;
  nodePages(): AsyncGenerator<KubePage<KubeNode>>;
  podPages(): AsyncGenerator<KubePage<KubePod>>;
}

/** Resolves the connection (kubeconfig wins over base_url) without network I/O. */
export function resolveConnection(provider: string, config: CoreweaveConfig): KubeConnection {
  if (config.kubeconfig) {
    try {
      return connectionFromKubeconfigFile(config.kubeconfig, config.context);
    } catch (error) {
      throw new CollectorError(
        'CONFIG_INVALID',
        `${provider}: api.kubeconfig ${config.kubeconfig}: ${error instanceof Error ? error.message : String(error)}`,
        { provider },
        { cause: error },
      );
    }
  }
  if (!config.base_url)
    throw new CollectorError(
      'CONFIG_INVALID',
      `${provider}: set api.kubeconfig, or api.base_url (the cluster's API server) with api.api_key (a ServiceAccount token)`,
      { provider },
    );
  return {
    server: config.base_url,
    clusterName: new URL(config.base_url).host,
    insecureSkipVerify: config.insecure_skip_verify,
    ...(config.api_key ? { token: config.api_key } : {}),
  };
}

/** Creates a client on a dedicated HTTP client carrying the cluster's TLS settings and token. */
export function createCoreweaveClient(
  context: CollectContext,
  provider: string,
  config: CoreweaveConfig,
): CoreweaveClient {
  const connection = resolveConnection(provider, config);
  const http = context.httpWith({
    tls: {
      ...(connection.ca === undefined ? {} : { ca: connection.ca }),
      ...(config.ca_file === undefined ? {} : { caFile: config.ca_file }),
      ...(connection.cert === undefined ? {} : { cert: connection.cert, key: connection.key }),
      insecureSkipVerify: connection.insecureSkipVerify || config.insecure_skip_verify,
    },
    headers: connection.token === undefined ? {} : { authorization: `Bearer ${connection.token}` },
  });
  const limit = config.page_size;
  return {
    clusterName: connection.clusterName,
    nodePages: () => explained(http, provider, `${connection.server}/api/v1/nodes`, limit, 'k8s:ListNodes', 'nodes'),
    podPages: () => explained(http, provider, `${connection.server}/api/v1/pods`, limit, 'k8s:ListPods', 'pods'),
  };
}

async function* explained<T>(
  http: HttpClient,
  provider: string,
  url: string,
  limit: number,
  operation: string,
  resource: string,
): AsyncGenerator<KubePage<T>> {
  try {
    yield* listPages<T>(http, { url, limit, operation, provider });
  } catch (error) {
    throw explainAuthFailure(error, provider, resource);
  }
}

/** 401/403 become permanent errors that name the provider and the RBAC permission missing. */
function explainAuthFailure(error: unknown, provider: string, resource: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const what =
    error.context.status === 403
      ? `the Kubernetes API denied "list ${resource}" at cluster scope (HTTP 403): bind the collector's ServiceAccount to a ClusterRole with get,list on nodes and pods`
      : `the Kubernetes API rejected the credentials while listing ${resource} (HTTP 401): check the kubeconfig user or api.api_key (a ServiceAccount token)`;
  return new CollectorError('AUTH_FAILED', `${provider}: ${what}`, error.context, { cause: error });
}
