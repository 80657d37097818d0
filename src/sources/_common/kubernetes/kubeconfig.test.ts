import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionFromKubeconfig } from './kubeconfig.ts';
import { parseQuantity } from './quantity.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: cks-prod
  cluster:
    server: https://abc.k8s.us-east-04a.coreweave.com/
    certificate-authority-data: ${b64(PEM)}
- name: cks-dev
  cluster:
    server: https://dev.example:6443
    insecure-skip-tls-verify: true
    certificate-authority: ca.pem
contexts:
- name: prod
  context: { cluster: cks-prod, user: token-user }
- name: dev
  context: { cluster: cks-dev, user: cert-user }
- name: sso
  context: { cluster: cks-prod, user: exec-user }
users:
- name: token-user
  user: { token: CW-SECRET-abc }
- name: cert-user
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
- name: exec-user
  user:
    exec: { command: cw-login, apiVersion: client.authentication.k8s.io/v1 }
`;

test('kubeconfig: current context with CA data and token', () => {
  const connection = connectionFromKubeconfig(KUBECONFIG, { baseDir: '/nowhere' });
  assert.deepEqual(connection, {
    server: 'https://abc.k8s.us-east-04a.coreweave.com',
    clusterName: 'cks-prod',
    insecureSkipVerify: false,
    ca: PEM,
    token: 'CW-SECRET-abc',
  });
});

test('kubeconfig: named context, CA file relative to the kubeconfig, client certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  writeFileSync(join(dir, 'ca.pem'), PEM);
  const connection = connectionFromKubeconfig(KUBECONFIG, { context: 'dev', baseDir: dir });
  assert.deepEqual(connection, {
    server: 'https://dev.example:6443',
    clusterName: 'cks-dev',
    insecureSkipVerify: true,
    ca: PEM,
    cert: 'CERT',
    key: 'KEY',
  });
});

test('kubeconfig: exec plugins are refused with a way out; unknown context named', () => {
  assert.throws(
    () => connectionFromKubeconfig(KUBECONFIG, { context: 'sso', baseDir: '/' }),
    /exec\/auth-provider plugin.*ServiceAccount token/,
  );
  assert.throws(
    () => connectionFromKubeconfig(KUBECONFIG, { context: 'nope', baseDir: '/' }),
    /no context named "nope"/,
  );
});

test('quantity: CPU, memory and GPU quantities', () => {
  assert.equal(Math.round((parseQuantity('191450m') ?? 0) * 1000), 191450);
  assert.deepEqual(['8', '2085478656Ki', '1.5Gi', '2k', 'x', undefined].map(parseQuantity), [
    8,
    2085478656 * 1024,
    1.5 * 2 ** 30,
    2000,
    null,
    null,
  ]);
});
