import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ovhSignature } from './signature.ts';

// Published vectors: ovh/python-ovh tests/test_client.py (test_call_signature, test_version_in_url) @3a1485d and
// ovh/go-ovh ovh/ovh_test.go (mockSignatures, TestVersionInURL) @3557ca4 - the libraries' revoked mock credentials.
const AS = '9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk';
const CK = '5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY';
const TIME = 1457018875;
const BODY = '{"a":"b","c":"d"}';

const VECTORS: Array<[method: string, url: string, body: string, expected: string]> = [
  ['GET', 'https://eu.api.ovh.com/1.0/auth', '', '$1$e9556054b6309771395efa467c22e627407461ad'],
  ['POST', 'https://eu.api.ovh.com/1.0/auth', BODY, '$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1'],
  ['PUT', 'https://eu.api.ovh.com/1.0/auth', BODY, '$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b'],
  ['DELETE', 'https://eu.api.ovh.com/1.0/auth', '', '$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85'],
  ['GET', 'https://eu.api.ovh.com/1.0/call', '', '$1$7f2db49253edfc41891023fcd1a54cf61db05fbb'],
  ['GET', 'https://eu.api.ovh.com/v1/call', '', '$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad'],
  ['GET', 'https://eu.api.ovh.com/v2/call', '', '$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285'],
  // go-ovh's timeout cases sign /1.0/authTO.
  ['GET', 'https://eu.api.ovh.com/1.0/authTO', '', '$1$1f0958be70f095ddaba525778a9ac1dcffac89f3'],
  ['POST', 'https://eu.api.ovh.com/1.0/authTO', BODY, '$1$b592effcb3bc2d37860eceb06a1b17670fbe49c6'],
];

for (const [method, url, body, expected] of VECTORS) {
  test(`signature: ${method} ${url} matches the official clients' vector`, () => {
    const signature = ovhSignature({ applicationSecret: AS, consumerKey: CK, method, url, body, timestamp: TIME });
    assert.equal(signature, expected);
  });
}

test('signature: the method is upper-cased and every part changes the result', () => {
  const base = {
    applicationSecret: AS,
    consumerKey: CK,
    method: 'get',
    url: VECTORS[0]![1],
    body: '',
    timestamp: TIME,
  };
  assert.equal(ovhSignature(base), VECTORS[0]![3]);
  const variants = [
    { ...base, url: `${base.url}?x=1` },
    { ...base, timestamp: TIME + 1 },
    { ...base, consumerKey: `${CK}x` },
    { ...base, body: ' ' },
  ];
  for (const variant of variants) assert.notEqual(ovhSignature(variant), VECTORS[0]![3]);
});
