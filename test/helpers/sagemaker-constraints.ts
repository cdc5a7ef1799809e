/**
 * The constraints the SageMaker API reference documents for the four create requests the workflow sends, as pure
 * checkers: each returns every problem of a request (empty when SageMaker would accept it), each problem naming the
 * field and the rule it breaks. The SDK does not check any of this on the client, so a request that breaks one only
 * fails in AWS, with a ValidationException, minutes into a run.
 *
 * Each rule names the API reference page (docs.aws.amazon.com/sagemaker/latest/APIReference/API_<page>.html) it
 * comes from; the enums are the SDK's own (@aws-sdk/client-sagemaker).
 */
import {
  CompressionType,
  ProductionVariantInstanceType,
  RecordWrapper,
  S3DataDistribution,
  S3DataType,
  TrainingInputMode,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import type {
  Channel,
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  CreateTrainingJobCommandInput,
  ProductionVariant,
  Tag,
} from '@aws-sdk/client-sagemaker';

/** One broken rule: `field` is the path in the request, e.g. `InputDataConfig[0].ChannelName`. */
export interface ConstraintProblem {
  readonly field: string;
  readonly rule: string;
}

/** `<field>: <rule>`, the form the tests print. */
export const describeProblem = ({ field, rule }: ConstraintProblem): string => `${field}: ${rule}`;

// CreateTrainingJob, CreateModel, CreateEndpointConfig, CreateEndpoint, ProductionVariant: every resource name.
const ENTITY_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const MAX_ENTITY_NAME = 63;
// CreateTrainingJob (RoleArn), CreateModel (ExecutionRoleArn): 20 to 2048 characters.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
// S3DataSource, OutputDataConfig, CheckpointConfig (S3Uri), ContainerDefinition (ModelDataUrl): up to 1024 characters.
const S3_URI = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const MAX_S3_URI = 1024;
// Channel (ChannelName): 1 to 64 characters.
const CHANNEL_NAME = /^[A-Za-z0-9.\-_]+$/;
// Tag: key 1 to 128 characters, value up to 256, both from this set; at most 50 tags a request.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
// ContainerDefinition (Image): up to 255 characters without whitespace.
const CONTAINER_IMAGE = /^\S+$/;

type Check = (problems: ConstraintProblem[]) => void;

function text(field: string, value: unknown, rules: { min?: number; max: number; pattern?: RegExp; patternText?: string }): Check {
  return (problems) => {
    if (typeof value !== 'string') {
      problems.push({ field, rule: `is required, a string (got ${JSON.stringify(value)})` });
      return;
    }
    const min = rules.min ?? 0;
    if (value.length < min || value.length > rules.max) {
      problems.push({ field, rule: `must be ${min} to ${rules.max} characters long (is ${value.length})` });
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      problems.push({ field, rule: `${JSON.stringify(value)} must match ${rules.patternText ?? rules.pattern.source}` });
    }
  };
}

function integer(field: string, value: unknown, min: number, max?: number): Check {
  return (problems) => {
    if (!Number.isInteger(value) || (value as number) < min || (max !== undefined && (value as number) > max)) {
      const range = max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
      problems.push({ field, rule: `${JSON.stringify(value)} must be an integer ${range}` });
    }
  };
}

function oneOf(field: string, value: unknown, allowed: Readonly<Record<string, string>>, what: string): Check {
  return (problems) => {
    if (!Object.values(allowed).includes(value as string)) {
      problems.push({ field, rule: `${JSON.stringify(value)} must be a ${what} (one of the SDK's ${Object.values(allowed).length})` });
    }
  };
}

const run = (checks: readonly Check[]): ConstraintProblem[] => {
  const problems: ConstraintProblem[] = [];
  for (const check of checks) check(problems);
  return problems;
};

const entityName = (field: string, value: unknown): Check => text(field, value, { min: 1, max: MAX_ENTITY_NAME, pattern: ENTITY_NAME });

const roleArn = (field: string, value: unknown): Check => text(field, value, { min: 20, max: 2048, pattern: ROLE_ARN });

const s3Uri = (field: string, value: unknown): Check => text(field, value, { max: MAX_S3_URI, pattern: S3_URI });

/** Tag (Key, Value) and the Tags member of every create request: at most 50; "aws:" keys are reserved for AWS. */
function tags(value: readonly Tag[] | undefined): Check {
  return (problems) => {
    if (value === undefined) return;
    if (value.length > 50) problems.push({ field: 'Tags', rule: `${value.length} tags must be at most 50` });
    const keys = value.map((tag) => tag.Key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) problems.push({ field: `Tags[${i}].Key`, rule: `${JSON.stringify(key)} must be unique` });
    });
    value.forEach((tag, i) => {
      text(`Tags[${i}].Key`, tag.Key, { min: 1, max: 128, pattern: TAG_TEXT })(problems);
      text(`Tags[${i}].Value`, tag.Value, { max: 256, pattern: TAG_TEXT })(problems);
      if (typeof tag.Key === 'string' && tag.Key.toLowerCase().startsWith('aws:')) {
        problems.push({ field: `Tags[${i}].Key`, rule: `${JSON.stringify(tag.Key)} must not start with the reserved prefix "aws:"` });
      }
    });
  };
}

/** CreateTrainingJob (HyperParameters): at most 100, keys up to 256 characters, values up to 2500. */
function hyperParameters(value: Readonly<Record<string, unknown>> | undefined): Check {
  return (problems) => {
    if (value === undefined) return;
    const entries = Object.entries(value);
    if (entries.length > 100) problems.push({ field: 'HyperParameters', rule: `${entries.length} hyperparameters must be at most 100` });
    for (const [key, entry] of entries) {
      const field = `HyperParameters.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`;
      text(`${field} (key)`, key, { max: 256 })(problems);
      text(field, entry, { max: 2500 })(problems);
    }
  };
}

/** Channel, DataSource and S3DataSource. */
function channel(value: Channel, index: number): Check {
  const field = `InputDataConfig[${index}]`;
  const s3 = value.DataSource?.S3DataSource;
  return (problems) => {
    text(`${field}.ChannelName`, value.ChannelName, { min: 1, max: 64, pattern: CHANNEL_NAME })(problems);
    if (s3 === undefined) {
      problems.push({ field: `${field}.DataSource.S3DataSource`, rule: 'is required: every channel reads an S3 prefix' });
      return;
    }
    s3Uri(`${field}.DataSource.S3DataSource.S3Uri`, s3.S3Uri)(problems);
    oneOf(`${field}.DataSource.S3DataSource.S3DataType`, s3.S3DataType, S3DataType, 'S3 data type')(problems);
    if (s3.S3DataDistributionType !== undefined) {
      oneOf(
        `${field}.DataSource.S3DataSource.S3DataDistributionType`,
        s3.S3DataDistributionType,
        S3DataDistribution,
        'distribution',
      )(problems);
    }
    if (value.CompressionType !== undefined)
      oneOf(`${field}.CompressionType`, value.CompressionType, CompressionType, 'compression')(problems);
    if (value.RecordWrapperType !== undefined) {
      oneOf(`${field}.RecordWrapperType`, value.RecordWrapperType, RecordWrapper, 'record wrapper')(problems);
    }
    if (value.InputMode !== undefined) oneOf(`${field}.InputMode`, value.InputMode, TrainingInputMode, 'training input mode')(problems);
  };
}

/** CreateTrainingJob (InputDataConfig): 1 to 20 channels with distinct names. */
function inputDataConfig(value: readonly Channel[] | undefined): Check {
  return (problems) => {
    if (value === undefined) return;
    if (value.length < 1 || value.length > 20) {
      problems.push({ field: 'InputDataConfig', rule: `${value.length} channels must be 1 to 20` });
    }
    const names = value.map((entry) => entry.ChannelName);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        problems.push({ field: `InputDataConfig[${i}].ChannelName`, rule: `${JSON.stringify(name)} must be unique` });
    });
    value.forEach((entry, i) => channel(entry, i)(problems));
  };
}

/**
 * StoppingCondition: MaxRuntimeInSeconds at least 1; MaxWaitTimeInSeconds at least 1 and at least
 * MaxRuntimeInSeconds, and only for managed spot training (CreateTrainingJob, EnableManagedSpotTraining).
 */
function stoppingCondition(request: CreateTrainingJobCommandInput): Check {
  return (problems) => {
    const condition = request.StoppingCondition;
    if (condition === undefined) {
      problems.push({ field: 'StoppingCondition', rule: 'is required' });
      return;
    }
    integer('StoppingCondition.MaxRuntimeInSeconds', condition.MaxRuntimeInSeconds, 1)(problems);
    const wait = condition.MaxWaitTimeInSeconds;
    if (request.EnableManagedSpotTraining === true) {
      integer('StoppingCondition.MaxWaitTimeInSeconds', wait, 1)(problems);
      if (Number.isInteger(wait) && Number.isInteger(condition.MaxRuntimeInSeconds) && wait! < condition.MaxRuntimeInSeconds!) {
        problems.push({
          field: 'StoppingCondition.MaxWaitTimeInSeconds',
          rule: `${wait} must be at least MaxRuntimeInSeconds (${condition.MaxRuntimeInSeconds}) for managed spot training`,
        });
      }
    } else if (wait !== undefined) {
      problems.push({
        field: 'StoppingCondition.MaxWaitTimeInSeconds',
        rule: 'is only for managed spot training (EnableManagedSpotTraining true)',
      });
    }
  };
}

/** CheckpointConfig: S3Uri; SageMaker resumes an interrupted spot job from it, so it goes with spot training. */
function checkpointConfig(request: CreateTrainingJobCommandInput): Check {
  return (problems) => {
    if (request.CheckpointConfig !== undefined) s3Uri('CheckpointConfig.S3Uri', request.CheckpointConfig.S3Uri)(problems);
    else if (request.EnableManagedSpotTraining === true) {
      problems.push({ field: 'CheckpointConfig', rule: 'is required with managed spot training, so an interrupted job resumes' });
    }
  };
}

/**
 * ResourceConfig: the instance type one of the SDK's TrainingInstanceType values. InstanceCount's documented minimum
 * is 0 only because InstanceGroups can take its place; a job without instance groups needs at least one instance.
 */
function resourceConfig(request: CreateTrainingJobCommandInput): Check {
  return (problems) => {
    const resources = request.ResourceConfig;
    if (resources === undefined) {
      problems.push({ field: 'ResourceConfig', rule: 'is required' });
      return;
    }
    oneOf('ResourceConfig.InstanceType', resources.InstanceType, TrainingInstanceType, 'training instance type')(problems);
    integer('ResourceConfig.InstanceCount', resources.InstanceCount, 1)(problems);
    integer('ResourceConfig.VolumeSizeInGB', resources.VolumeSizeInGB, 1)(problems);
  };
}

/** Every problem of a CreateTrainingJob request (CreateTrainingJob, AlgorithmSpecification, OutputDataConfig and the above). */
export function createTrainingJobProblems(request: CreateTrainingJobCommandInput): ConstraintProblem[] {
  const algorithm = request.AlgorithmSpecification;
  return run([
    entityName('TrainingJobName', request.TrainingJobName),
    roleArn('RoleArn', request.RoleArn),
    (problems) => {
      if (algorithm === undefined) {
        problems.push({ field: 'AlgorithmSpecification', rule: 'is required' });
        return;
      }
      // AlgorithmSpecification: TrainingImage up to 255 characters.
      text('AlgorithmSpecification.TrainingImage', algorithm.TrainingImage, { max: 255 })(problems);
      oneOf('AlgorithmSpecification.TrainingInputMode', algorithm.TrainingInputMode, TrainingInputMode, 'training input mode')(problems);
    },
    hyperParameters(request.HyperParameters),
    inputDataConfig(request.InputDataConfig),
    s3Uri('OutputDataConfig.S3OutputPath', request.OutputDataConfig?.S3OutputPath),
    resourceConfig(request),
    stoppingCondition(request),
    checkpointConfig(request),
    tags(request.Tags),
  ]);
}

/** CreateModel and ContainerDefinition (Image, ModelDataUrl). */
export function createModelProblems(request: CreateModelCommandInput): ConstraintProblem[] {
  const container = request.PrimaryContainer;
  return run([
    entityName('ModelName', request.ModelName),
    roleArn('ExecutionRoleArn', request.ExecutionRoleArn),
    (problems) => {
      if (container === undefined) {
        problems.push({ field: 'PrimaryContainer', rule: 'is required: the model is one container' });
        return;
      }
      text('PrimaryContainer.Image', container.Image, { max: 255, pattern: CONTAINER_IMAGE, patternText: 'no whitespace' })(problems);
      s3Uri('PrimaryContainer.ModelDataUrl', container.ModelDataUrl)(problems);
    },
    tags(request.Tags),
  ]);
}

/** ProductionVariant: InitialInstanceCount at least 1, InitialVariantWeight at least 0. */
function productionVariant(value: ProductionVariant, index: number): Check {
  const field = `ProductionVariants[${index}]`;
  return (problems) => {
    entityName(`${field}.VariantName`, value.VariantName)(problems);
    entityName(`${field}.ModelName`, value.ModelName)(problems);
    oneOf(`${field}.InstanceType`, value.InstanceType, ProductionVariantInstanceType, 'hosting instance type')(problems);
    integer(`${field}.InitialInstanceCount`, value.InitialInstanceCount, 1)(problems);
    const weight = value.InitialVariantWeight;
    if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
      problems.push({ field: `${field}.InitialVariantWeight`, rule: `${JSON.stringify(weight)} must be a number of at least 0` });
    }
  };
}

/** CreateEndpointConfig: 1 to 10 production variants with distinct names. */
export function createEndpointConfigProblems(request: CreateEndpointConfigCommandInput): ConstraintProblem[] {
  const variants = request.ProductionVariants ?? [];
  return run([
    entityName('EndpointConfigName', request.EndpointConfigName),
    (problems) => {
      if (variants.length < 1 || variants.length > 10) {
        problems.push({ field: 'ProductionVariants', rule: `${variants.length} variants must be 1 to 10` });
      }
      const names = variants.map((variant) => variant.VariantName);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i)
          problems.push({ field: `ProductionVariants[${i}].VariantName`, rule: `${JSON.stringify(name)} must be unique` });
      });
      variants.forEach((variant, i) => productionVariant(variant, i)(problems));
    },
    tags(request.Tags),
  ]);
}

/** CreateEndpoint: EndpointName and EndpointConfigName. */
export function createEndpointProblems(request: CreateEndpointCommandInput): ConstraintProblem[] {
  return run([
    entityName('EndpointName', request.EndpointName),
    entityName('EndpointConfigName', request.EndpointConfigName),
    tags(request.Tags),
  ]);
}
