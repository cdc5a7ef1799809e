/**
 * Deploy-time configuration: the workshop's defaults, overridden by a JSON config file and by CDK context,
 * validated at synth with the same rules the workflow applies to execution input.
 */
import { readFileSync } from 'node:fs';
import { ExperimentSettings, SettingsError, WORKSHOP_DEFAULTS, resolveSettings } from '../lambda/core/settings';
import { DEFAULT_PRICES_PER_HOUR } from '../lambda/core/cost';

export const DEFAULT_STACK_NAME = 'DistributedTrainingExperiment';

/** What can be set at deploy time besides the experiment's settings. */
export interface StackOptions {
  /** Keep the data bucket (prepared data, model artifacts, reports) when the stack is destroyed. */
  readonly retainData: boolean;
}

export interface DeployConfig {
  /** Settings without the image, which depends on the stack's region; `imageUri` is set only when given. */
  readonly settings: Omit<ExperimentSettings, 'imageUri'> & { readonly imageUri?: string };
  readonly options: StackOptions;
}

/** Reads a CDK context value that may be an object (cdk.json) or a JSON string (`-c key='{...}'`). */
function contextObject(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Error(`${where} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${where} must be a JSON object of settings, got ${JSON.stringify(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Config file ${path} (context "configFile") cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return contextObject(text, `Config file ${path}`);
}

function takeRetainData(merged: Record<string, unknown>): StackOptions {
  const { retainData = false } = merged;
  if (typeof retainData !== 'boolean') {
    throw new SettingsError([`retainData: ${JSON.stringify(retainData)} must be true or false`], 'deploy-time settings');
  }
  delete merged.retainData;
  return { retainData };
}

/**
 * @param context reads a CDK context value (`app.node.tryGetContext`).
 * @throws SettingsError or Error naming the setting, the value and what is allowed.
 */
export function loadDeployConfig(context: (key: string) => unknown): DeployConfig {
  const configFile = context('configFile');
  if (configFile !== undefined && typeof configFile !== 'string') throw new Error('Context "configFile" must be a path to a JSON file');
  const merged = {
    ...(configFile ? readConfigFile(configFile) : {}),
    ...contextObject(context('experiment'), 'Context "experiment"'),
  };
  const options = takeRetainData(merged);
  // Validate against a complete base; the placeholder image is replaced by the region's image below unless given.
  const base: ExperimentSettings = { ...WORKSHOP_DEFAULTS, imageUri: 'placeholder.invalid/linear-learner:1', pricesPerHour: DEFAULT_PRICES_PER_HOUR };
  const { imageUri, ...settings } = resolveSettings(base, merged, 'deploy-time settings');
  return { settings: 'imageUri' in merged ? { ...settings, imageUri } : settings, options };
}
