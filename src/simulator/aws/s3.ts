// Simulated S3 (REST XML, path-style): ListBuckets (BucketRegion for some buckets, continuation tokens)
// and GetBucketLocation (empty constraint for us-east-1, as S3 answers).

import type { SimRequest, SimResponse } from '../server.ts';
import { awsError, element, xmlResponse } from './wire.ts';
import { SIM_BUCKETS } from './world.ts';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The S3 operation a request is, for counting and throttling; undefined when not simulated. */
export function s3Operation(request: SimRequest): 's3:ListBuckets' | 's3:GetBucketLocation' | undefined {
  if (request.method !== 'GET') return undefined;
  if (request.path === '/') return 's3:ListBuckets';
  if (/^\/[a-z0-9.-]+\/?$/.test(request.path) && request.query.has('location')) return 's3:GetBucketLocation';
  return undefined;
}

/** Handles an S3 request for an account. Pages hold `perPage` buckets. */
export function s3Request(request: SimRequest, account: string, perPage: number): SimResponse {
  if (s3Operation(request) === 's3:ListBuckets') {
    const buckets = SIM_BUCKETS.filter((bucket) => bucket.account === account);
    const offset = Number(request.query.get('continuation-token') ?? '0');
    const page = buckets.slice(offset, offset + Math.min(perPage, Number(request.query.get('max-buckets') ?? '10000')));
    const items = page
      .map(
        (bucket) =>
          `<Bucket>${element('Name', bucket.name)}${element('CreationDate', bucket.created)}${bucket.listedRegion ? element('BucketRegion', bucket.region) : ''}</Bucket>`,
      )
      .join('');
    const next =
      offset + page.length < buckets.length ? element('ContinuationToken', String(offset + page.length)) : '';
    return xmlResponse(
      `<ListAllMyBucketsResult xmlns="${NAMESPACE}"><Owner>${element('ID', `owner-${account}`)}${element('DisplayName', account)}</Owner><Buckets>${items}</Buckets>${next}</ListAllMyBucketsResult>`,
    );
  }
  const name = request.path.replace(/^\/|\/$/g, '');
  const bucket = SIM_BUCKETS.find((item) => item.name === name && item.account === account);
  if (!bucket) return awsError('s3', 404, 'NoSuchBucket', 'The specified bucket does not exist');
  return xmlResponse(
    `<LocationConstraint xmlns="${NAMESPACE}">${bucket.region === 'us-east-1' ? '' : bucket.region}</LocationConstraint>`,
  );
}
