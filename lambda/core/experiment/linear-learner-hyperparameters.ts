/**
 * Linear Learner's documented hyperparameters as a table of rules, so a value SageMaker would reject minutes into a
 * training job is rejected at synth or at the workflow's first state instead.
 *
 * Keys, ranges and enums follow the SageMaker developer guide page "Linear learner hyperparameters"
 * (docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html). Where the page says "between 0 and 1" without
 * saying whether the ends are included, the ends are accepted: a value SageMaker might still refuse is better than
 * refusing one it accepts.
 */

import { FEATURE_COUNT } from '../data/transform/features';

/** Why a classifier's setting cannot fit this data. */
const LABELS = 'the labels are AvgTone, a real number';

/** How one hyperparameter's value is checked. Values arrive as strings or numbers; SageMaker receives strings. */
export type HyperparameterRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max?: number; readonly auto?: boolean }
  | {
      readonly kind: 'number';
      /** Lower bound; `minExclusive` makes it strict (a "positive" number). Absent: any finite number. */
      readonly min?: number;
      readonly minExclusive?: boolean;
      readonly max?: number;
      readonly auto?: boolean;
      /** Words SageMaker accepts besides a number, e.g. `balanced`. */
      readonly words?: readonly string[];
    }
  | {
      readonly kind: 'enum';
      readonly values: readonly string[];
      /** Documented values this experiment cannot use, each with why (it follows the value in the message). */
      readonly unfit?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'fixed'; readonly value: string; readonly reason: string };

const positiveInteger = (auto = false): HyperparameterRule => ({ kind: 'integer', min: 1, auto });
const positiveNumber = (auto = false): HyperparameterRule => ({ kind: 'number', min: 0, minExclusive: true, auto });
const nonNegativeNumber = (auto = false): HyperparameterRule => ({ kind: 'number', min: 0, auto });
const fraction = (auto = false): HyperparameterRule => ({ kind: 'number', min: 0, max: 1, auto });
const trueOrFalse: HyperparameterRule = { kind: 'enum', values: ['true', 'false'] };
const autoTrueOrFalse: HyperparameterRule = { kind: 'enum', values: ['auto', 'true', 'false'] };

const CLASSIFIER_LOSS = `is a loss for classifiers, and ${LABELS}`;

/** Every hyperparameter the developer guide documents for Linear Learner, with its valid values. */
export const LINEAR_LEARNER_HYPERPARAMETERS: Readonly<Record<string, HyperparameterRule>> = {
  accuracy_top_k: positiveInteger(),
  balance_multiclass_weights: trueOrFalse,
  beta_1: fraction(true),
  beta_2: fraction(true),
  bias_lr_mult: positiveNumber(true),
  bias_wd_mult: nonNegativeNumber(true),
  binary_classifier_model_selection_criteria: {
    kind: 'enum',
    values: ['accuracy', 'f_beta', 'precision_at_target_recall', 'recall_at_target_precision', 'loss_function'],
  },
  early_stopping_patience: positiveInteger(),
  early_stopping_tolerance: positiveNumber(),
  epochs: positiveInteger(),
  f_beta: positiveNumber(),
  feature_dim: { kind: 'fixed', value: String(FEATURE_COUNT), reason: 'the number of features the data preparation writes' },
  huber_delta: positiveNumber(),
  init_bias: { kind: 'number' },
  init_method: { kind: 'enum', values: ['uniform', 'normal'] },
  init_scale: positiveNumber(),
  init_sigma: positiveNumber(),
  l1: nonNegativeNumber(true),
  learning_rate: positiveNumber(true),
  loss: {
    kind: 'enum',
    values: [
      'auto',
      'squared_loss',
      'absolute_loss',
      'eps_insensitive_squared_loss',
      'eps_insensitive_absolute_loss',
      'quantile_loss',
      'huber_loss',
      'logistic',
      'hinge_loss',
      'softmax_loss',
    ],
    unfit: { logistic: CLASSIFIER_LOSS, hinge_loss: CLASSIFIER_LOSS, softmax_loss: CLASSIFIER_LOSS },
  },
  loss_insensitivity: positiveNumber(),
  lr_scheduler_factor: fraction(true),
  lr_scheduler_minimum_lr: positiveNumber(true),
  lr_scheduler_step: positiveInteger(true),
  margin: positiveNumber(),
  mini_batch_size: positiveInteger(),
  momentum: fraction(true),
  normalize_data: autoTrueOrFalse,
  normalize_label: autoTrueOrFalse,
  num_calibration_samples: positiveInteger(true),
  num_classes: { kind: 'integer', min: 3, max: 1_000_000 },
  num_models: positiveInteger(true),
  num_point_for_scaler: positiveInteger(),
  optimizer: { kind: 'enum', values: ['auto', 'sgd', 'adam', 'rmsprop'] },
  positive_example_weight_mult: { kind: 'number', min: 0, minExclusive: true, auto: true, words: ['balanced'] },
  predictor_type: {
    kind: 'enum',
    values: ['regressor', 'binary_classifier', 'multiclass_classifier'],
    unfit: {
      binary_classifier: `cannot learn these labels: a binary classifier needs labels 0 or 1, and ${LABELS}`,
      multiclass_classifier: `cannot learn these labels: a multiclass classifier needs labels 0 to num_classes - 1, and ${LABELS}`,
    },
  },
  quantile: fraction(),
  target_precision: fraction(),
  target_recall: fraction(),
  unbias_data: autoTrueOrFalse,
  unbias_label: autoTrueOrFalse,
  use_bias: trueOrFalse,
  use_lr_scheduler: trueOrFalse,
  wd: nonNegativeNumber(true),
};

export const HYPERPARAMETER_NAMES: readonly string[] = Object.keys(LINEAR_LEARNER_HYPERPARAMETERS);

const INTEGER_TEXT = /^[+-]?\d+$/;
// Plain decimals with an optional exponent; "inf", "nan" and hexadecimal are not numbers a person means here.
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function asNumber(value: string | number, pattern: RegExp): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return pattern.test(value) ? Number(value) : undefined;
}

function range(min: number | undefined, minExclusive: boolean | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return '';
  if (min === 0 && minExclusive && max === undefined) return ' greater than 0';
  if (max === undefined) return ` of at least ${min}`;
  return ` from ${min}${minExclusive ? ' (exclusive)' : ''} to ${max}`;
}

/** What the rule allows, in the words of an error message. */
export function describeRule(rule: HyperparameterRule): string {
  const auto = 'auto' in rule && rule.auto ? '"auto" or ' : '';
  switch (rule.kind) {
    case 'integer':
      if (rule.max === undefined && rule.min === 1) return `${auto}a positive integer`;
      return `${auto}an integer${range(rule.min, false, rule.max)}`;
    case 'number': {
      const words = (rule.words ?? []).map((word) => `"${word}" or `).join('');
      return `${words}${auto}a number${range(rule.min, rule.minExclusive, rule.max)}`;
    }
    case 'enum': {
      const usable = rule.values.filter((value) => !rule.unfit?.[value]);
      return usable.length === 1 ? usable[0] : `one of ${usable.join(', ')}`;
    }
    case 'fixed':
      return rule.value;
  }
}

function fits(rule: HyperparameterRule, value: string | number): boolean {
  const text = String(value);
  switch (rule.kind) {
    case 'integer': {
      if (rule.auto && text === 'auto') return true;
      const n = asNumber(value, INTEGER_TEXT);
      return n !== undefined && Number.isInteger(n) && n >= rule.min && (rule.max === undefined || n <= rule.max);
    }
    case 'number': {
      if ((rule.auto && text === 'auto') || rule.words?.includes(text)) return true;
      const n = asNumber(value, NUMBER_TEXT);
      if (n === undefined) return false;
      const aboveMin = rule.min === undefined || (rule.minExclusive ? n > rule.min : n >= rule.min);
      return aboveMin && (rule.max === undefined || n <= rule.max);
    }
    case 'enum':
      return rule.values.includes(text) && !rule.unfit?.[text];
    case 'fixed':
      // Exactly the text: SageMaker parses "25.0" as no integer.
      return text === rule.value;
  }
}

/**
 * The problem with one hyperparameter, or undefined when SageMaker's Linear Learner would accept it for this
 * experiment. `path` prefixes the message, e.g. `variants[0].hyperparameters`.
 */
export function hyperparameterProblem(path: string, key: string, value: unknown): string | undefined {
  const rule = Object.hasOwn(LINEAR_LEARNER_HYPERPARAMETERS, key) ? LINEAR_LEARNER_HYPERPARAMETERS[key] : undefined;
  const shown = JSON.stringify(value) ?? String(value);
  if (rule === undefined) {
    return `${path}.${key}: unknown Linear Learner hyperparameter; known ones are ${HYPERPARAMETER_NAMES.join(', ')}`;
  }
  if (!((typeof value === 'string' && value.length > 0 && value.length <= 2500) || (typeof value === 'number' && Number.isFinite(value)))) {
    return `${path}.${key}: ${shown} must be a non-empty string or a finite number`;
  }
  if (fits(rule, value)) return undefined;
  const unfit = rule.kind === 'enum' ? rule.unfit?.[String(value)] : undefined;
  if (unfit) return `${path}.${key}: ${shown} ${unfit}; use ${describeRule(rule)}`;
  if (rule.kind === 'fixed') return `${path}.${key}: ${shown} must be ${rule.value}, ${rule.reason}`;
  return `${path}.${key}: ${shown} must be ${describeRule(rule)}`;
}
