// Reads a kubeconfig (YAML): the current (or named) context's server, CA, and token or client certificate.
// `exec` and auth-provider plugins are not run (the collector never spawns credential helpers).

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** How to reach and authenticate to one Kubernetes API server. */
export interface KubeConnection {
  /** API server URL without a trailing slash. */
  server: string;
  /** Cluster name from the kubeconfig (or the server host). */
  clusterName: string;
  /** PEM text of the CA. */
  ca?: string;
  insecureSkipVerify: boolean;
  token?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

type Mapping = Record<string, unknown>;

/** Parses kubeconfig text; relative file paths resolve against `baseDir` (the kubeconfig's folder). */
export function connectionFromKubeconfig(
  text: string,
  options: { context?: string | undefined; baseDir: string },
): KubeConnection {
  const document = (parse(text) ?? {}) as Mapping;
  const contextName = options.context ?? stringField(document, 'current-context');
  if (!contextName) throw new Error('kubeconfig has no current-context; set api.context');
  const context = entry(document, 'contexts', 'context', contextName);
  const clusterName = stringField(context, 'cluster') ?? '';
  const cluster = entry(document, 'clusters', 'cluster', clusterName);
  const userName = stringField(context, 'user');
  const user = userName ? entry(document, 'users', 'user', userName) : {};
  const server = stringField(cluster, 'server');
  if (!server) throw new Error(`kubeconfig cluster ${JSON.stringify(clusterName)} has no server`);
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    throw new Error(
      `kubeconfig user ${JSON.stringify(userName)} uses an exec/auth-provider plugin, which the collector does not run: use a ServiceAccount token instead`,
    );
  }
  const file = (key: string): string | undefined => {
    const path = stringField(user, key) ?? stringField(cluster, key);
    return path === undefined
      ? undefined
      : readFileSync(isAbsolute(path) ? path : resolve(options.baseDir, path), 'utf8');
  };
  const data = (mapping: Mapping, key: string): string | undefined => {
    const encoded = stringField(mapping, key);
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  };
  const ca = data(cluster, 'certificate-authority-data') ?? file('certificate-authority');
  const token = stringField(user, 'token') ?? file('tokenFile')?.trim();
  const cert = data(user, 'client-certificate-data') ?? file('client-certificate');
  const key = data(user, 'client-key-data') ?? file('client-key');
  return {
    server: server.replace(/\/+$/, ''),
    clusterName: clusterName || new URL(server).host,
    insecureSkipVerify: cluster['insecure-skip-tls-verify'] === true,
    ...(ca === undefined ? {} : { ca }),
    ...(token === undefined ? {} : { token }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

/** Reads and parses a kubeconfig file. */
export function connectionFromKubeconfigFile(path: string, context?: string): KubeConnection {
  return connectionFromKubeconfig(readFileSync(path, 'utf8'), { context, baseDir: dirname(resolve(path)) });
}

function entry(document: Mapping, listKey: string, itemKey: string, name: string): Mapping {
  const list = Array.isArray(document[listKey]) ? (document[listKey] as Array<Named<unknown>>) : [];
  const found = list.find((item) => item.name === name);
  const value = found?.[itemKey];
  if (value === null || typeof value !== 'object')
    throw new Error(`kubeconfig has no ${itemKey} named ${JSON.stringify(name)}`);
  return value as Mapping;
}

function stringField(mapping: Mapping, key: string): string | undefined {
  const value = mapping[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
