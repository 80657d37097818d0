// Wire helpers shared by the simulated AWS services: SigV4 scope parsing (which key, region and service a
// request was signed for), form bodies, XML text, and each protocol's error shape.

import type { SimRequest, SimResponse } from '../server.ts';

/** What the SigV4 Authorization header says about a request. */
export interface SignedScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ce/aws4_request, ...`. */
export function signedScope(request: SimRequest): SignedScope | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1] ?? '', region: match[2] ?? '', service: match[3] ?? '' };
}

/** The parameters of a form-encoded (query protocol) body. */
export function formParams(request: SimRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

/** Numbered list members of a query-protocol request: `InstanceType.1`, `InstanceType.2`, ... */
export function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.${index}`); index += 1) values.push(params.get(`${prefix}.${index}`) ?? '');
  return values;
}

/** Escapes XML text. */
export function xmlText(value: string | number | boolean): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An XML element with escaped text, or '' when the value is undefined. */
export function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlText(value)}</${name}>`;
}

let requestCounter = 0;

/** A request ID in AWS's format. */
export function requestId(): string {
  requestCounter += 1;
  return `00000000-0000-4000-8000-${requestCounter.toString(16).padStart(12, '0')}`;
}

/** An XML response. */
export function xmlResponse(body: string, status = 200): SimResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId() },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

/** An awsJson1_1 / awsJson1_0 response. */
export function jsonResponse(
  version: '1.0' | '1.1',
  body: object,
  status = 200,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId(), ...headers },
    body: JSON.stringify(body),
  };
}

/** The JSON __type of CloudWatch errors whose legacy (query) code differs (the SDK's model: awsQueryError). */
const CLOUDWATCH_JSON_TYPES: Readonly<Record<string, string>> = {
  Throttling: 'ThrottlingException',
  ValidationError: 'ValidationException',
};

/** Which protocol an error must be shaped for. */
export type AwsProtocol = 'json1_1' | 'cloudwatch_json' | 'ec2' | 'query' | 's3';

/** An error in the protocol's shape; throttling codes are what each service really sends. */
export function awsError(
  protocol: AwsProtocol,
  status: number,
  code: string,
  message: string,
  namespace = 'com.amazonaws',
): SimResponse {
  switch (protocol) {
    case 'json1_1':
      return jsonResponse('1.1', { __type: code, Message: message }, status);
    case 'cloudwatch_json':
      // awsQueryCompatible: the legacy code travels in x-amzn-query-error; the SDK prefers it.
      return jsonResponse('1.0', { __type: `${namespace}#${CLOUDWATCH_JSON_TYPES[code] ?? code}`, message }, status, {
        'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}`,
      });
    case 'ec2':
      return xmlResponse(
        `<Response><Errors><Error><Code>${xmlText(code)}</Code><Message>${xmlText(message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`,
        status,
      );
    case 'query':
      return xmlResponse(
        `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlText(code)}</Code><Message>${xmlText(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
        status,
      );
    case 's3':
      return xmlResponse(
        `<Error><Code>${xmlText(code)}</Code><Message>${xmlText(message)}</Message><RequestId>${requestId()}</RequestId></Error>`,
        status,
      );
  }
}

/** The throttling error each service answers with. */
export function throttlingError(protocol: AwsProtocol): SimResponse {
  switch (protocol) {
    case 'json1_1':
      return awsError(protocol, 400, 'LimitExceededException', 'Rate limit exceeded');
    case 'cloudwatch_json':
      return awsError(protocol, 400, 'Throttling', 'Rate exceeded', 'com.amazonaws.cloudwatch');
    case 'ec2':
      return awsError(protocol, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'query':
      return awsError(protocol, 400, 'Throttling', 'Rate exceeded');
    case 's3':
      return awsError(protocol, 503, 'SlowDown', 'Please reduce your request rate.');
  }
}
