/**
 * Deploy-time configuration: the workshop's defaults, overridden by a JSON config file and by CDK context,
 * validated at synth with the same rules the workflow applies to execution input.
 */
import { readFileSync } from 'node:fs';
import {
  ExperimentSettings,
  SettingsError,
  WORKSHOP_DEFAULTS,
  resolveSettings,
  settingsProblems,
} from '../lambda/core/experiment/settings';
import { unknownRegionProblem } from './linear-learner-image';

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

/**
 * Reads a CDK context value that may be an object (cdk.json) or a JSON string (`-c key='{...}'`).
 * @returns the settings object, or the problem that keeps it from being one.
 */
function contextObject(value: unknown, where: string): Record<string, unknown> | string {
  if (value === undefined) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return `${where} is not valid JSON: ${(error as Error).message}`;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `${where} must be a JSON object of settings, got ${JSON.stringify(parsed)}`;
  }
  return parsed as Record<string, unknown>;
}

function readConfigFile(configFile: unknown): Record<string, unknown> | string {
  if (configFile === undefined) return {};
  if (typeof configFile !== 'string') return 'Context "configFile" must be a path to a JSON file';
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    return `Config file ${configFile} (context "configFile") cannot be read: ${(error as Error).message}`;
  }
  return contextObject(text, `Config file ${configFile}`);
}

function retainDataProblem(retainData: unknown): string | undefined {
  return retainData === undefined || typeof retainData === 'boolean'
    ? undefined
    : `retainData: ${JSON.stringify(retainData)} must be true or false`;
}

/**
 * Every problem that can be known at once: each setting is checked on its own, then the rules across settings run
 * over the settings that passed, so a bad value elsewhere does not hide them until the next synth.
 */
function resolveAll(base: ExperimentSettings, given: Record<string, unknown>): { settings?: ExperimentSettings; problems: string[] } {
  const problems: string[] = [];
  const valid: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const own = settingsProblems({ [name]: value });
    if (own.length > 0) problems.push(...own);
    else valid[name] = value;
  }
  try {
    const settings = resolveSettings(base, valid, 'deploy-time settings');
    return problems.length > 0 ? { problems } : { settings, problems };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return { problems: [...problems, ...error.problems] };
  }
}

/**
 * @param context reads a CDK context value (`app.node.tryGetContext`).
 * @param region the region synth targets, when known: the Linear Learner image is then picked at synth.
 * @throws SettingsError listing every problem, each naming the setting or source, the value and what is allowed.
 */
export function loadDeployConfig(context: (key: string) => unknown, region?: string): DeployConfig {
  const sources = [readConfigFile(context('configFile')), contextObject(context('experiment'), 'Context "experiment"')];
  const problems = sources.filter((source): source is string => typeof source === 'string');
  const { retainData = false, ...given } = Object.assign({}, ...sources.filter((source) => typeof source !== 'string')) as Record<
    string,
    unknown
  >;
  const retainProblem = retainDataProblem(retainData);
  if (retainProblem) problems.push(retainProblem);
  // Validate against a complete base; the placeholder stands for the image the stack picks for its region, unless given.
  const base: ExperimentSettings = { ...WORKSHOP_DEFAULTS, imageUri: 'placeholder.invalid/linear-learner:1' };
  const resolved = resolveAll(base, given);
  problems.push(...resolved.problems);
  const regionProblem = region !== undefined && !('imageUri' in given) ? unknownRegionProblem(region) : undefined;
  if (regionProblem) problems.push(regionProblem);
  if (problems.length > 0 || !resolved.settings) throw new SettingsError(problems, 'deploy-time settings');
  const { imageUri, ...settings } = resolved.settings;
  return { settings: 'imageUri' in given ? { ...settings, imageUri } : settings, options: { retainData: retainData as boolean } };
}
