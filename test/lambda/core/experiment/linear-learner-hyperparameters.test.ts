import {
  HYPERPARAMETER_NAMES,
  LINEAR_LEARNER_HYPERPARAMETERS,
  describeRule,
  hyperparameterProblem,
} from '../../../../lambda/core/experiment/linear-learner-hyperparameters';
import { WORKSHOP_DEFAULTS } from '../../../../lambda/core/experiment/settings';

const check = (key: string, value: unknown): string | undefined => hyperparameterProblem('hyperparameters', key, value);

describe('the Linear Learner hyperparameter table', () => {
  it('holds every hyperparameter the developer guide documents', () => {
    // GIVEN the names on the "Linear learner hyperparameters" page
    const documented = [
      'accuracy_top_k',
      'balance_multiclass_weights',
      'beta_1',
      'beta_2',
      'bias_lr_mult',
      'bias_wd_mult',
      'binary_classifier_model_selection_criteria',
      'early_stopping_patience',
      'early_stopping_tolerance',
      'epochs',
      'f_beta',
      'feature_dim',
      'huber_delta',
      'init_bias',
      'init_method',
      'init_scale',
      'init_sigma',
      'l1',
      'learning_rate',
      'loss',
      'loss_insensitivity',
      'lr_scheduler_factor',
      'lr_scheduler_minimum_lr',
      'lr_scheduler_step',
      'margin',
      'mini_batch_size',
      'momentum',
      'normalize_data',
      'normalize_label',
      'num_calibration_samples',
      'num_classes',
      'num_models',
      'num_point_for_scaler',
      'optimizer',
      'positive_example_weight_mult',
      'predictor_type',
      'quantile',
      'target_precision',
      'target_recall',
      'unbias_data',
      'unbias_label',
      'use_bias',
      'use_lr_scheduler',
      'wd',
    ];

    // WHEN / THEN the table has exactly these, in alphabetical order for the error message
    expect(HYPERPARAMETER_NAMES).toEqual(documented);
  });

  it("accepts the workshop's hyperparameters", () => {
    // GIVEN / WHEN / THEN
    const problems = Object.entries(WORKSHOP_DEFAULTS.hyperparameters).map(([key, value]) => check(key, value));
    expect(problems).toEqual(problems.map(() => undefined));
  });
});

describe('unknown keys', () => {
  it('are rejected with the list of known ones', () => {
    // GIVEN a misspelt key
    // WHEN it is checked
    const problem = check('epoch', '4');

    // THEN the message names it and lists every known key
    expect(problem).toBe(`hyperparameters.epoch: unknown Linear Learner hyperparameter; known ones are ${HYPERPARAMETER_NAMES.join(', ')}`);
  });

  it('include names inherited by every object', () => {
    // GIVEN / WHEN / THEN: the table is a plain object; its prototype's names are not hyperparameters
    expect(check('toString', '1')).toMatch(/^hyperparameters.toString: unknown Linear Learner hyperparameter/);
  });
});

describe('values that are neither text nor a number', () => {
  it.each<[unknown, string]>([
    ['', '""'],
    [true, 'true'],
    [null, 'null'],
    [Number.NaN, 'null'],
    [{ value: 4 }, '{"value":4}'],
  ])('reject %p', (value, shown) => {
    // GIVEN / WHEN / THEN
    expect(check('epochs', value)).toBe(`hyperparameters.epochs: ${shown} must be a non-empty string or a finite number`);
  });
});

describe('integer rules', () => {
  it.each<[unknown]>([[4], ['4'], ['+4'], [1]])('accept %p for epochs', (value) => {
    expect(check('epochs', value)).toBeUndefined();
  });

  it.each<[unknown, string]>([
    ['abc', '"abc"'],
    [0, '0'],
    ['0', '"0"'],
    [-1, '-1'],
    [2.5, '2.5'],
    ['2.5', '"2.5"'],
    ['1e3', '"1e3"'],
    ['auto', '"auto"'],
    [' 4', '" 4"'],
  ])('reject %p for epochs, which must be a positive integer', (value, shown) => {
    expect(check('epochs', value)).toBe(`hyperparameters.epochs: ${shown} must be a positive integer`);
  });

  it('accept "auto" where the guide allows it', () => {
    expect(check('num_models', 'auto')).toBeUndefined();
  });

  it('name "auto" in the message where the guide allows it', () => {
    expect(check('num_models', 0)).toBe('hyperparameters.num_models: 0 must be "auto" or a positive integer');
  });

  it('hold both bounds of a range', () => {
    // GIVEN num_classes, documented from 3 to 1,000,000
    // WHEN / THEN
    expect(check('num_classes', 3)).toBeUndefined();
    expect(check('num_classes', '1000000')).toBeUndefined();
    expect(check('num_classes', 2)).toBe('hyperparameters.num_classes: 2 must be an integer from 3 to 1000000');
    expect(check('num_classes', 1_000_001)).toBe('hyperparameters.num_classes: 1000001 must be an integer from 3 to 1000000');
  });

  it('reject a mini_batch_size that is not positive', () => {
    expect(check('mini_batch_size', '0')).toBe('hyperparameters.mini_batch_size: "0" must be a positive integer');
  });
});

describe('number rules', () => {
  it.each<[string, unknown]>([
    ['learning_rate', '0.1'],
    ['learning_rate', 1e-4],
    ['learning_rate', '1e-4'],
    ['learning_rate', '.5'],
    ['learning_rate', 'auto'],
    ['wd', 0],
    ['init_bias', '-3.5'],
    ['momentum', '0'],
    ['momentum', 1],
    ['positive_example_weight_mult', 'balanced'],
    ['positive_example_weight_mult', '2'],
  ])('accept %s = %p', (key, value) => {
    expect(check(key, value)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['learning_rate', 0, 'hyperparameters.learning_rate: 0 must be "auto" or a number greater than 0'],
    ['learning_rate', 'fast', 'hyperparameters.learning_rate: "fast" must be "auto" or a number greater than 0'],
    ['learning_rate', 'inf', 'hyperparameters.learning_rate: "inf" must be "auto" or a number greater than 0'],
    ['wd', -0.1, 'hyperparameters.wd: -0.1 must be "auto" or a number of at least 0'],
    ['momentum', 1.5, 'hyperparameters.momentum: 1.5 must be "auto" or a number from 0 to 1'],
    ['quantile', 'auto', 'hyperparameters.quantile: "auto" must be a number from 0 to 1'],
    ['init_bias', 'zero', 'hyperparameters.init_bias: "zero" must be a number'],
    [
      'positive_example_weight_mult',
      '0',
      'hyperparameters.positive_example_weight_mult: "0" must be "balanced" or "auto" or a number greater than 0',
    ],
  ])('reject %s = %p', (key, value, message) => {
    expect(check(key, value)).toBe(message);
  });
});

describe('enum rules', () => {
  it.each<[string, string]>([
    ['optimizer', 'adam'],
    ['init_method', 'normal'],
    ['use_bias', 'false'],
    ['normalize_label', 'auto'],
    ['loss', 'squared_loss'],
    ['loss', 'auto'],
    ['predictor_type', 'regressor'],
  ])('accept %s = %p', (key, value) => {
    expect(check(key, value)).toBeUndefined();
  });

  it('reject a value outside the list, listing the allowed ones', () => {
    expect(check('optimizer', 'adagrad')).toBe('hyperparameters.optimizer: "adagrad" must be one of auto, sgd, adam, rmsprop');
  });

  it('are case-sensitive, as the algorithm is', () => {
    expect(check('use_bias', 'True')).toBe('hyperparameters.use_bias: "True" must be one of true, false');
  });

  it('reject a loss outside the documented list', () => {
    expect(check('loss', 'mse')).toBe(
      'hyperparameters.loss: "mse" must be one of auto, squared_loss, absolute_loss, eps_insensitive_squared_loss, eps_insensitive_absolute_loss, quantile_loss, huber_loss',
    );
  });

  it('reject a classifier loss with the reason', () => {
    expect(check('loss', 'logistic')).toBe(
      'hyperparameters.loss: "logistic" is a loss for classifiers, and the labels are AvgTone, a real number; use one of auto, squared_loss, absolute_loss, eps_insensitive_squared_loss, eps_insensitive_absolute_loss, quantile_loss, huber_loss',
    );
  });

  it('reject a classifier predictor_type with the reason', () => {
    expect(check('predictor_type', 'binary_classifier')).toBe(
      'hyperparameters.predictor_type: "binary_classifier" cannot learn these labels: a binary classifier needs labels 0 or 1, and the labels are AvgTone, a real number; use regressor',
    );
    expect(check('predictor_type', 'multiclass_classifier')).toMatch(
      /a multiclass classifier needs labels 0 to num_classes - 1.*; use regressor$/,
    );
  });

  it('reject a predictor_type outside the documented list', () => {
    expect(check('predictor_type', 'linear')).toBe('hyperparameters.predictor_type: "linear" must be regressor');
  });
});

describe('the fixed feature_dim', () => {
  it.each<[unknown]>([[25], ['25']])('accepts %p', (value) => {
    expect(check('feature_dim', value)).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [24, '24'],
    ['auto', '"auto"'],
    ['25.0', '"25.0"'],
  ])('rejects %p, since the data has 25 features', (value, shown) => {
    expect(check('feature_dim', value)).toBe(
      `hyperparameters.feature_dim: ${shown} must be 25, the number of features the data preparation writes`,
    );
  });
});

describe('describeRule', () => {
  it('says what each kind of rule allows', () => {
    expect(describeRule(LINEAR_LEARNER_HYPERPARAMETERS.lr_scheduler_step)).toBe('"auto" or a positive integer');
    expect(describeRule(LINEAR_LEARNER_HYPERPARAMETERS.num_classes)).toBe('an integer from 3 to 1000000');
    expect(describeRule(LINEAR_LEARNER_HYPERPARAMETERS.bias_wd_mult)).toBe('"auto" or a number of at least 0');
    expect(describeRule(LINEAR_LEARNER_HYPERPARAMETERS.init_method)).toBe('one of uniform, normal');
    expect(describeRule(LINEAR_LEARNER_HYPERPARAMETERS.feature_dim)).toBe('25');
  });
});
