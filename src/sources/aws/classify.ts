// Turns AWS SDK v3 errors into classified CollectorErrors: throttling is retryable (the shared retry layer
// retries it; the SDK's own retries are off), access denied names the IAM action that is missing.

import { CollectorError } from '../../core/errors.ts';

/** Error names AWS services use for throttling (Cost Explorer, EC2, CloudWatch, S3, RDS, STS). */
const THROTTLING = new Set([
  'LimitExceededException',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** Error names meaning the credentials are wrong or lack a permission. */
const AUTH = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'MissingAuthenticationToken',
  'OptInRequired',
  'CredentialsProviderError',
]);

/** Operation name (as counted) -> IAM action that allows it, where they differ. */
const IAM_ACTION: Readonly<Record<string, string>> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  'sts:GetCallerIdentity': 'sts:GetCallerIdentity (always allowed: check the credentials themselves)',
};

/** The IAM action an operation needs. */
export function iamActionFor(operation: string): string {
  return IAM_ACTION[operation] ?? operation;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What the classifier needs to know about the call. */
export interface ClassifyOptions {
  provider: string;
  operation: string;
  /** True when the run itself was cancelled (so an abort is a cancellation, not a timeout). */
  cancelled: () => boolean;
}

/** Classifies an error thrown by an AWS SDK v3 client's send(). */
export function classifyAwsError(thrown: unknown, options: ClassifyOptions): CollectorError {
  if (thrown instanceof CollectorError) return thrown;
  const error = (thrown ?? {}) as SdkErrorShape;
  const name = error.name ?? 'Error';
  const status = error.$metadata?.httpStatusCode;
  const message = error.message ?? String(thrown);
  const context = {
    provider: options.provider,
    operation: options.operation,
    ...(status === undefined ? {} : { status }),
  };
  const where = `${options.provider}: ${options.operation}`;
  if (THROTTLING.has(name) || status === 429) {
    return new CollectorError('RATE_LIMITED', `${where} was throttled (${name}: ${message})`, context, {
      cause: thrown,
    });
  }
  if (AUTH.has(name) || status === 401 || status === 403) {
    return new CollectorError(
      'AUTH_FAILED',
      `${where} was denied (${name}: ${message}); the credentials need the IAM action ${iamActionFor(options.operation)}`,
      context,
      { cause: thrown },
    );
  }
  // A dropped connection is NETWORK even when the SDK names it TimeoutError ("socket hang up").
  if (
    error.code !== undefined &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH)$/.test(error.code) &&
    !options.cancelled()
  ) {
    return new CollectorError('NETWORK', `${where} lost its connection (${error.code}: ${message})`, context, {
      cause: thrown,
    });
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    return options.cancelled()
      ? new CollectorError('CANCELLED', `${where} was cancelled`, context, { cause: thrown })
      : new CollectorError('TIMEOUT', `${where} timed out`, context, { cause: thrown });
  }
  if (
    error.code !== undefined &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(error.code)
  ) {
    return new CollectorError('NETWORK', `${where} could not connect (${error.code}: ${message})`, context, {
      cause: thrown,
    });
  }
  if (
    (status !== undefined && status >= 500) ||
    error.$fault === 'server' ||
    name === 'InternalError' ||
    name === 'ServiceUnavailable' ||
    name === 'InternalFailure'
  ) {
    return new CollectorError(
      'UPSTREAM_UNAVAILABLE',
      `${where} failed on the AWS side (${name}: ${message})`,
      context,
      { cause: thrown },
    );
  }
  if (name === 'SyntaxError' || /Deserialization error|char '.*' is not expected|Unexpected token/i.test(message)) {
    return new CollectorError(
      'RESPONSE_MALFORMED',
      `${where} returned a response that could not be parsed (${message})`,
      context,
      { cause: thrown },
    );
  }
  if (status !== undefined && status >= 400) {
    return new CollectorError('BAD_REQUEST', `${where} was rejected (${name}: ${message})`, context, { cause: thrown });
  }
  return new CollectorError('UPSTREAM_ERROR', `${where} failed (${name}: ${message})`, context, { cause: thrown });
}
