/** Checks that every source object the data preparation will read exists and can be read, without reading it. */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PreflightYear, SourceFailure } from './preflight';

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
}

/** One HeadObject per object; a 404 is "missing" (the role may list the bucket, so S3 says so instead of 403). */
export async function sourceFailures(client: S3Client, years: readonly PreflightYear[]): Promise<SourceFailure[]> {
  const outcomes = await Promise.all(
    years.map(async (year): Promise<SourceFailure | undefined> => {
      try {
        await client.send(new HeadObjectCommand({ Bucket: year.source.bucket, Key: year.source.key }));
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return { year, missing: true };
        const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
        const status = $metadata?.httpStatusCode ? ` (HTTP ${$metadata.httpStatusCode})` : '';
        // HeadObject responses have no body, so S3's 403 arrives with a generic name and message; say what it means.
        const reason = $metadata?.httpStatusCode === 403 ? 'access denied' : `${name}: ${message}`;
        return { year, missing: false, error: `${reason}${status}` };
      }
    }),
  );
  return outcomes.filter((outcome): outcome is SourceFailure => outcome !== undefined);
}
