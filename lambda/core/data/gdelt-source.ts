/** The experiment's source data: the public GDELT 1.0 events bucket (us-east-1), one object per year. */
export const GDELT_BUCKET = 'gdelt-open-data';

export const gdeltKey = (year: number): string => `events/${year}.csv`;

/** For IAM statements; the bucket exists in the aws partition only. */
export const GDELT_BUCKET_ARN = `arn:aws:s3:::${GDELT_BUCKET}`;
