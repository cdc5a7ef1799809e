/**
 * Workflow task, after the event codes are known: HEADs every source year and names the dataset they make, so
 * that identical settings share prepared data and different settings never write into each other's.
 * Event: the plan's dataset request and the profile's result. Returns the dataset's id, prefix, channels, test key and
 * one work item per year.
 */
import { identifyDataset, IdentifiedDataset, IdentifyDatasetRequest } from './core/data/dataset';
import { newSourceS3Client, S3SourceReader } from './core/data/source-client';

const sources = new S3SourceReader(newSourceS3Client(), 'Identify dataset');

export interface IdentifyDatasetEvent {
  readonly dataset: Omit<IdentifyDatasetRequest, 'profile'>;
  readonly profile: IdentifyDatasetRequest['profile'];
}

export async function handler(event: IdentifyDatasetEvent): Promise<IdentifiedDataset> {
  return identifyDataset(sources, { ...event.dataset, profile: event.profile });
}
