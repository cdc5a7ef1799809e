/**
 * S3 errors a person can act on. The SDK names an error from the response body, and some responses have none (every
 * HEAD, for one): such an error reaches the console as "Unknown: UnknownError". Every S3 call of the data and
 * evaluation tasks goes through `callS3`, so its error names the workflow step, the object and the HTTP status.
 */

/** One S3 request, described for its error message. */
export interface S3Request {
  /** The workflow state that sent it, as the console shows it, e.g. "Prepare year". */
  readonly step: string;
  /** The S3 API operation, e.g. "HeadObject". */
  readonly operation: string;
  readonly bucket: string;
  readonly key: string;
}

/** What a status means for this caller: the error name to report and a hint on what to do. */
export type StatusMeanings = Readonly<Partial<Record<number, { readonly name: string; readonly hint: string }>>>;

/** Names for statuses whose response carried no error code; S3's own codes for these statuses. */
const NAMES_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  403: 'AccessDenied',
  404: 'NotFound',
  412: 'PreconditionFailed',
  500: 'InternalError',
  503: 'SlowDown',
};

/** Names and messages the SDK makes up when the response had no body to read them from. */
const PLACEHOLDER_NAMES = new Set(['', 'Error', 'Unknown', 'UnknownError']);

/** An S3 call that failed, with the request and the HTTP status (undefined when no response came). */
export class S3RequestError extends Error {
  constructor(
    message: string,
    name: string,
    readonly request: S3Request,
    readonly status: number | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = name;
  }
}

/** S3 error codes whose status is certain, for errors that arrive without their HTTP metadata. */
const STATUS_BY_NAME: Readonly<Record<string, number>> = { NoSuchKey: 404, NotFound: 404, PreconditionFailed: 412 };

export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status ?? STATUS_BY_NAME[(error as { name?: string } | undefined)?.name ?? ''];
}

/** True for S3's two ways of saying an object does not exist (GetObject: NoSuchKey, HeadObject: NotFound). */
export function isNotFound(error: unknown): boolean {
  return httpStatusOf(error) === 404;
}

function sdkNameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && !PLACEHOLDER_NAMES.has(name) && !/^\d+$/.test(name) ? name : undefined;
}

function detailOf(error: unknown, request: S3Request, sdkName: string | undefined): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && !PLACEHOLDER_NAMES.has(message) && message !== sdkName) return message;
  return request.operation === 'HeadObject' ? 'S3 sends no error details in reply to a HEAD request' : 'S3 sent no error details';
}

/** The error to throw for a failed S3 call: `<step>: S3 <operation> s3://<bucket>/<key> failed with HTTP <status> <name>: <detail>`. */
export function s3RequestError(request: S3Request, error: unknown, meanings: StatusMeanings = {}): S3RequestError {
  const status = httpStatusOf(error);
  const sdkName = sdkNameOf(error);
  const meaning = status === undefined ? undefined : meanings[status];
  const name = meaning?.name ?? sdkName ?? (status === undefined ? undefined : NAMES_BY_STATUS[status]) ?? 'S3Error';
  const code = sdkName ?? (status === undefined ? undefined : NAMES_BY_STATUS[status]);
  const response =
    status === undefined ? `without an HTTP response${code ? ` (${code})` : ''}` : `with HTTP ${status}${code ? ` ${code}` : ''}`;
  const details = [meaning?.hint, detailOf(error, request, sdkName)].filter(Boolean).join('; ');
  const message = `${request.step}: S3 ${request.operation} s3://${request.bucket}/${request.key} failed ${response}: ${details}`;
  return new S3RequestError(message, name, request, status, { cause: error });
}

/** Sends one S3 request; a failure becomes an S3RequestError that says which step, object and status. */
export async function callS3<T>(request: S3Request, send: () => Promise<T>, meanings?: StatusMeanings): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw s3RequestError(request, error, meanings);
  }
}
