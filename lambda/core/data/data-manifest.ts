/**
 * Manifests make data preparation idempotent: a rerun with the same source object (ETag) and the same settings
 * skips the work; anything different rebuilds. A manifest is written last, after every output it lists completed.
 */
import type { DatasetKind, PrepareCounts, ProfileCounts } from './transform/featurize-stream';

export interface SourceRef {
  bucket: string;
  key: string;
}

export interface SourceIdentity extends SourceRef {
  eTag: string;
}

/** Everything that changes the bytes written for one year. */
export interface PrepareSettings {
  transformVersion: number;
  kind: DatasetKind;
  codes: string[];
  /** Only meaningful for kind train; null for test so that changing it does not rebuild the test year. */
  validationPercent: number | null;
}

export interface PrepareManifest {
  year: number;
  settings: PrepareSettings;
  source: SourceIdentity;
  counts: PrepareCounts;
  /** Keys in the data bucket, relative to nothing (full keys). */
  outputKeys: string[];
  completedAt: string;
}

export interface ProfileManifest {
  year: number;
  transformVersion: number;
  source: SourceIdentity;
  codes: string[];
  counts: ProfileCounts;
  completedAt: string;
}

function sameSource(stored: unknown, expected: SourceIdentity): boolean {
  const source = stored as Partial<SourceIdentity> | undefined;
  return source?.bucket === expected.bucket && source.key === expected.key && source.eTag === expected.eTag;
}

function sameStrings(stored: unknown, expected: string[]): boolean {
  return Array.isArray(stored) && stored.length === expected.length && stored.every((value, index) => value === expected[index]);
}

/** True when a stored manifest (any JSON, possibly from an older version) describes exactly this work. */
export function isPrepareManifestCurrent(stored: unknown, settings: PrepareSettings, source: SourceIdentity): stored is PrepareManifest {
  const manifest = stored as Partial<PrepareManifest> | undefined;
  const storedSettings = manifest?.settings;
  return (
    storedSettings !== undefined &&
    storedSettings.transformVersion === settings.transformVersion &&
    storedSettings.kind === settings.kind &&
    storedSettings.validationPercent === settings.validationPercent &&
    sameStrings(storedSettings.codes, settings.codes) &&
    sameSource(manifest?.source, source) &&
    Array.isArray(manifest?.outputKeys) &&
    typeof manifest?.counts === 'object'
  );
}

export function isProfileManifestCurrent(stored: unknown, transformVersion: number, source: SourceIdentity): stored is ProfileManifest {
  const manifest = stored as Partial<ProfileManifest> | undefined;
  return (
    manifest?.transformVersion === transformVersion &&
    sameSource(manifest.source, source) &&
    Array.isArray(manifest.codes) &&
    typeof manifest.counts === 'object'
  );
}
