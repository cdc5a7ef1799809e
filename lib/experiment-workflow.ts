import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MAX_CLEAN_UP_ATTEMPTS } from '../lambda/core/cleanup/cleanup-errors';
import type { CleanUpExecutionEvent } from '../lambda/clean-up-execution';
import type { EvaluateEndpointEvent } from '../lambda/evaluate-endpoint';
import type { FinishVariantEvent } from '../lambda/finish-variant';
import type { ExperimentSettings } from '../lambda/core/experiment/settings';
import type { PlanRequest } from '../lambda/core/experiment/plan';
import type { PreflightRequest } from '../lambda/core/preflight/preflight';
import {
  ExecutionState,
  Fields,
  fieldPath,
  SucceededVariantSummary,
  VARIANT_DESCRIPTION_FIELDS,
  VariantDescription,
  VariantState,
} from '../lambda/core/workflow/execution-state';
import type { IdentifyDatasetEvent } from '../lambda/identify-dataset';
import type { WriteReportEvent } from '../lambda/write-report';
import { TracedStateMachine } from './traced-state-machine';
import { WorkflowTasks } from './workflow-tasks';

export interface ExperimentWorkflowProps {
  readonly tasks: WorkflowTasks;
  /** Deploy-time settings; every execution starts from these and may override them in its input. */
  readonly settings: ExperimentSettings;
  /**
   * Longest an execution may run before Step Functions stops it.
   * @default Duration.hours(12)
   */
  readonly timeout?: Duration;
}

const { stringAt, objectAt, numberAt } = sfn.JsonPath;
/** Paths into the execution's state, and into one variant's branch. */
const state = fieldPath<ExecutionState>();
const branch = fieldPath<VariantState>();

/** A task's payload, built field by field from the state: the compiler checks it against what the handler takes. */
const payload = <T>(fields: Fields<T>): sfn.TaskInput => sfn.TaskInput.fromObject(fields);

/**
 * What Step Functions reports when a task function dies rather than throws: Lambda.Unknown for a crash or running out
 * of memory (and for timeouts, in older reports), Sandbox.Timedout for a function that hit its timeout.
 */
export const CRASHED_OR_TIMED_OUT = ['Lambda.Unknown', 'Sandbox.Timedout'] as const;

/** GDELT years are prepared in parallel, but not so many at once that S3 or Lambda concurrency suffers. */
const MAX_YEARS_IN_PARALLEL = 6;

/**
 * The experiment as a state machine, top to bottom:
 * plan -> preflight -> profile event codes -> identify the dataset -> prepare its years -> lay out the training data
 * -> (per variant, up to `maxParallelVariants` at once) train -> host -> evaluate -> delete the endpoint -> report.
 * A failed variant ends its own pipeline (`onVariantFailure: continue`) or the run (`stop`).
 * Every SageMaker wait is a Wait -> Describe -> Choice loop; the describe task decides, with a bound, whether to wait,
 * go on or fail, and no Lambda ever waits. Any other failure after the preflight cleans up what the execution
 * created, then fails with the original cause. The methods below follow the run: the stages in order, then the
 * failure paths.
 */
export class ExperimentWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  private readonly fns: WorkflowTasks;

  constructor(scope: Construct, id: string, props: ExperimentWorkflowProps) {
    super(scope, id);
    this.fns = props.tasks;

    // The plan reads the input from the context object, and the state must be a JSON object for the plan's Catch to
    // add `error` to it: an input that is a list, a string or a number then fails in the plan, with a message.
    const start = new sfn.Pass(this, 'Start experiment', { result: sfn.Result.fromObject({}) });
    const plan = this.invoke('Validate input and plan', this.fns.planExecution, {
      payload: payload<Omit<PlanRequest, 'stackName'>>({
        input: objectAt('$$.Execution.Input'),
        execution: {
          executionArn: sfn.JsonPath.executionId,
          startTime: stringAt('$$.Execution.StartTime'),
          name: sfn.JsonPath.executionName,
        },
        defaults: props.settings,
      }),
    });

    const preflight = this.preflight();
    const stages = [
      this.profileEventCodes(),
      this.identifyDataset(),
      this.prepareYears(),
      this.layOutTrainingData(),
      this.runEachVariant(),
      this.writeReport(),
    ];
    // With `onVariantFailure: continue` the report lists a failed variant beside the others; the execution then fails,
    // so the console shows it, after the report is written.
    const outcome = new sfn.Choice(this, 'Any variant failed?')
      .when(
        sfn.Condition.isPresent(state('report.failure')),
        new sfn.Fail(this, 'Variants failed', { errorPath: state('report.failure.error'), causePath: state('report.failure.cause') }),
      )
      .otherwise(this.output().next(new sfn.Succeed(this, 'Experiment done')));
    const definition = [plan, preflight, ...stages, outcome].reduce<sfn.Chain>((chain, next) => chain.next(next), sfn.Chain.start(start));

    // Invalid input fails in the plan, before anything exists to clean up.
    plan.addCatch(
      this.readableCause(
        ' (input)',
        new sfn.Fail(this, 'Execution input rejected', { errorPath: state('error.Error'), causePath: state('error.Cause') }),
      ),
      { resultPath: state('error') },
    );
    // Nothing exists yet either when the preflight finds a problem: no clean-up, just every problem named.
    preflight.addCatch(
      this.readableCause(
        ' (preflight)',
        new sfn.Fail(this, 'Preflight failed', { errorPath: state('error.Error'), causePath: state('error.Cause') }),
      ),
      { resultPath: state('error') },
    );
    // Any later failure cleans up what the execution created, then fails with the original error.
    const experimentFailed = new sfn.Fail(this, 'Experiment failed', { errorPath: state('error.Error'), causePath: state('error.Cause') });
    const failed = this.readableCause('', this.cleanUpAfterFailure(experimentFailed));
    for (const stage of stages) stage.addCatch(failed, { resultPath: state('error') });

    this.stateMachine = new TracedStateMachine(this, 'StateMachine', {
      definition,
      timeout: props.timeout ?? Duration.hours(12),
      comment: 'SageMaker Linear Learner on GDELT: FullyReplicated vs ShardedByS3Key',
      invokes: this.fns.all,
    });
  }

  /** Quotas and source objects, checked before any data is read or any SageMaker resource created. */
  private preflight(): tasks.LambdaInvoke {
    return this.invoke('Preflight', this.fns.preflight, {
      payload: payload<PreflightRequest>({
        enabled: objectAt(state('settings.preflight')),
        instanceType: stringAt(state('settings.instanceType')),
        variants: objectAt(state('variants')),
        endpointInstanceType: stringAt(state('settings.endpointInstanceType')),
        endpointInstanceCount: numberAt(state('settings.endpointInstanceCount')),
        years: objectAt(state('data.dataset.years')),
        maxParallelVariants: numberAt(state('settings.maxParallelVariants')),
        keepEndpoints: objectAt(state('settings.keepEndpoints')),
      }),
      resultPath: state('preflight'),
    });
  }

  /** One streaming pass over the first year finds the 20 event codes that become the one-hot features. */
  private profileEventCodes(): tasks.LambdaInvoke {
    return this.invoke('Profile event codes', this.fns.profileEventCodes, {
      inputPath: state('data.profile'),
      resultPath: state('prepared.profile'),
    });
  }

  /**
   * Names the dataset by what it is (source ETags, codes, split, transform version): the same settings share one,
   * other settings get another, so no execution's data is ever written or removed by another.
   */
  private identifyDataset(): tasks.LambdaInvoke {
    return this.invoke('Identify dataset', this.fns.identifyDataset, {
      payload: payload<IdentifyDatasetEvent>({ dataset: objectAt(state('data.dataset')), profile: objectAt(state('prepared.profile')) }),
      resultPath: state('dataset'),
    });
  }

  /** Every year at once: training years to train/ + validation/, the test year to test/ (RecordIO and CSV). */
  private prepareYears(): sfn.Map {
    const years = new sfn.Map(this, 'Prepare each year', {
      itemsPath: state('dataset.years'),
      maxConcurrency: MAX_YEARS_IN_PARALLEL,
      resultPath: state('prepared.years'),
    });
    return years.itemProcessor(this.invoke('Prepare year', this.fns.prepareYear, {}));
  }

  /**
   * The train channel's objects: the per-year ones, or the `trainShards` near-equal shards, written here if the
   * dataset lacks them. The report shows from them what each instance of a sharded job reads.
   */
  private layOutTrainingData(): tasks.LambdaInvoke {
    return this.invoke('Lay out training data', this.fns.layOutTrainingData, {
      inputPath: state('dataset.trainLayout'),
      resultPath: state('prepared.trainObjects'),
    });
  }

  /**
   * Up to `maxParallelVariants` variants at once, each a pipeline of its own that ends with the variant's summary:
   * evaluated, or failed.
   */
  private runEachVariant(): sfn.Map {
    const variants = new sfn.Map(this, 'Run each variant', {
      itemsPath: state('variants'),
      // A path, not a number: an execution's input may change the setting.
      maxConcurrencyPath: state('settings.maxParallelVariants'),
      itemSelector: {
        variant: objectAt('$$.Map.Item.Value'),
        dataset: { channels: objectAt(state('dataset.channels')), testKey: stringAt(state('dataset.testKey')) },
      } satisfies Fields<VariantState>,
      resultPath: state('results'),
    });
    return variants.itemProcessor(this.variantPipeline());
  }

  /**
   * One variant: train, host, score, delete its endpoint. The endpoint lives only for its own evaluation, not until
   * the slowest variant is done. Any failure goes to `variantFailed`: the variant's resources are removed and the
   * branch ends with the failure in its summary, or, with `onVariantFailure: stop`, the whole run fails.
   */
  private variantPipeline(): sfn.IChainable {
    const fns = this.fns;
    const failed = this.variantFailed();
    const caught = <T extends tasks.LambdaInvoke>(task: T): T => task.addCatch(failed, { resultPath: branch('failure') }) as T;
    /** A job or endpoint SageMaker reports failed: its error and cause, where a Catch would put them. */
    const recordFailure = (id: string, answer: 'training' | 'endpoint'): sfn.Pass =>
      new sfn.Pass(this, id, {
        parameters: { Error: stringAt(branch(`${answer}.error`)), Cause: stringAt(branch(`${answer}.cause`)) },
        resultPath: branch('failure'),
      });

    const startTraining = caught(this.invoke('Start training job', fns.startTraining, { resultPath: branch('training') }));
    const waitForTraining = new sfn.Wait(this, 'Wait for training', {
      time: sfn.WaitTime.secondsPath(branch('variant.trainingPollSeconds')),
    });
    const describeTraining = caught(this.invoke('Describe training job', fns.describeTraining, { resultPath: branch('training') }));
    const waitForEndpoint = new sfn.Wait(this, 'Wait for endpoint', {
      time: sfn.WaitTime.secondsPath(branch('variant.endpointPollSeconds')),
    });
    const describeEndpoint = caught(this.invoke('Describe endpoint', fns.describeEndpoint, { resultPath: branch('endpoint') }));
    const evaluate = caught(
      this.invoke('Evaluate endpoint', fns.evaluateEndpoint, {
        payload: payload<EvaluateEndpointEvent>({ variant: objectAt(branch('variant')), dataset: objectAt(branch('dataset')) }),
        resultPath: branch('summary.evaluation'),
      }),
    );
    const deleteEndpoint = caught(
      this.invoke('Delete variant endpoint', fns.finishVariant, {
        payload: payload<FinishVariantEvent>({ variant: objectAt(branch('variant')), summary: objectAt(branch('summary')) }),
        resultPath: branch('finish'),
        outputPath: branch('finish.summary'),
      }),
    );

    const host = caught(this.invoke('Create model', fns.createModel, { resultPath: sfn.JsonPath.DISCARD }))
      .next(caught(this.invoke('Create endpoint config', fns.createEndpointConfig, { resultPath: sfn.JsonPath.DISCARD })))
      .next(caught(this.invoke('Create endpoint', fns.createEndpoint, { resultPath: branch('endpoint') })))
      .next(waitForEndpoint)
      .next(describeEndpoint)
      .next(
        new sfn.Choice(this, 'Endpoint in service?')
          .when(
            sfn.Condition.stringEquals(branch('endpoint.next'), 'continue'),
            this.summarizeVariant().next(evaluate).next(deleteEndpoint),
          )
          .when(sfn.Condition.stringEquals(branch('endpoint.next'), 'wait'), waitForEndpoint)
          .otherwise(recordFailure('Endpoint failed', 'endpoint').next(failed)),
      );

    return startTraining
      .next(waitForTraining)
      .next(describeTraining)
      .next(
        new sfn.Choice(this, 'Training done?')
          .when(sfn.Condition.stringEquals(branch('training.next'), 'continue'), host)
          .when(sfn.Condition.stringEquals(branch('training.next'), 'wait'), waitForTraining)
          .otherwise(recordFailure('Training failed', 'training').next(failed)),
      );
  }

  /**
   * A variant failed. `stop` fails the branch, and so the run, whose failure path cleans up every variant as before.
   * `continue` removes this variant's resources (retrying endpoints still being created), and ends the branch with
   * the failure in its summary, so the other variants go on and the report lists this one.
   */
  private variantFailed(): sfn.Choice {
    const cleanUp = this.invoke('Clean up failed variant', this.fns.finishVariant, {
      payload: payload<FinishVariantEvent>({
        variant: objectAt(branch('variant')),
        failure: objectAt(branch('failure')),
        attempt: numberAt(branch('finish.attempt')),
      }),
      resultPath: branch('finish'),
    });
    const waitToSettle = new sfn.Wait(this, 'Wait for variant endpoint to settle', { time: sfn.WaitTime.duration(Duration.seconds(60)) });
    return new sfn.Choice(this, 'Stop on variant failure?')
      .when(
        sfn.Condition.stringEquals(branch('variant.onVariantFailure'), 'stop'),
        new sfn.Fail(this, 'Variant failed', { errorPath: branch('failure.Error'), causePath: branch('failure.Cause') }),
      )
      .otherwise(
        new sfn.Pass(this, 'Start variant clean-up', { result: sfn.Result.fromObject({ attempt: 0 }), resultPath: branch('finish') })
          .next(cleanUp)
          .next(
            new sfn.Choice(this, 'Variant endpoint settled?')
              .when(sfn.Condition.stringEquals(branch('finish.next'), 'wait'), waitToSettle.next(cleanUp))
              .otherwise(new sfn.Pass(this, 'Variant failure recorded', { outputPath: branch('finish.summary') })),
          ),
      );
  }

  /** What the execution output and the report list per variant, before its evaluation and the endpoint's deletion. */
  private summarizeVariant(): sfn.Pass {
    const description = Object.fromEntries(
      VARIANT_DESCRIPTION_FIELDS.map((field) => [field, objectAt(branch(`variant.${field}`))]),
    ) as Fields<VariantDescription>;
    const summary: Fields<SucceededVariantSummary> = {
      ...description,
      status: 'succeeded',
      training: {
        status: stringAt(branch('training.status')),
        trainingTimeInSeconds: numberAt(branch('training.trainingTimeInSeconds')),
        billableTimeInSeconds: numberAt(branch('training.billableTimeInSeconds')),
        finalMetrics: objectAt(branch('training.finalMetrics')),
        interruptions: numberAt(branch('training.interruptions')),
      },
      hosting: { status: stringAt(branch('endpoint.status')), createdAt: stringAt(branch('endpoint.createdAt')) },
    };
    return new sfn.Pass(this, 'Summarize variant', { parameters: summary, resultPath: branch('summary') });
  }

  /** report.json, report.md and its two charts (report.svg, report-cost.svg) under the execution's report prefix. */
  private writeReport(): tasks.LambdaInvoke {
    return this.invoke('Write report', this.fns.writeReport, {
      payload: payload<WriteReportEvent>({
        executionName: stringAt(state('execution.name')),
        reportPrefix: stringAt(state('reportPrefix')),
        pricesPerHour: objectAt(state('settings.pricesPerHour')),
        variants: objectAt(state('results')),
        data: objectAt(state('prepared')),
        trainObjects: objectAt(state('prepared.trainObjects')),
        warnings: objectAt(state('preflight.warnings')),
      }),
      resultPath: state('report'),
    });
  }

  /** What the console shows as the execution's output. */
  private output(): sfn.Pass {
    return new sfn.Pass(this, 'Experiment output', {
      parameters: {
        execution: stringAt(state('execution.name')),
        report: objectAt(state('report')),
        variants: objectAt(state('results')),
        dataset: stringAt(state('dataset.prefix')),
        data: objectAt(state('prepared.years')),
        warnings: objectAt(state('preflight.warnings')),
      },
    });
  }

  /**
   * Deletes this execution's endpoints and stops its jobs, then fails with the original error and cause.
   * SageMaker refuses to delete an endpoint that is still being created, so those are retried until they settle.
   */
  private cleanUpAfterFailure(experimentFailed: sfn.IChainable): sfn.IChainable {
    // A create call already under way in another branch lands after the branch that failed; give it time to.
    const letTasksFinish = new sfn.Wait(this, 'Let running tasks finish', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
    const firstPass = new sfn.Pass(this, 'Start clean-up', { result: sfn.Result.fromObject({ attempt: 0 }), resultPath: state('cleanup') });
    const cleanUp = this.invoke('Clean up after failure', this.fns.cleanUpExecution, {
      payload: payload<CleanUpExecutionEvent>({
        resources: objectAt(state('resources')),
        keepEndpoints: false,
        keepModels: objectAt(state('settings.keepModels')),
        attempt: numberAt(state('cleanup.attempt')),
      }),
      resultPath: state('cleanup'),
    });
    // A clean-up that fails too must not hide why the experiment failed.
    cleanUp.addCatch(experimentFailed, { resultPath: state('cleanupError') });
    const waitToSettle = new sfn.Wait(this, 'Wait for endpoints to settle', { time: sfn.WaitTime.duration(Duration.seconds(60)) });
    const nameLeftovers = new sfn.Pass(this, 'Name endpoints left running', {
      parameters: {
        Error: stringAt(state('error.Error')),
        Cause: sfn.JsonPath.format(
          '{} Clean-up could not delete these endpoints, still being created after {} attempts; delete them in the SageMaker console: {}',
          stringAt(state('error.Cause')),
          sfn.JsonPath.jsonToString(objectAt(state('cleanup.attempt'))),
          sfn.JsonPath.jsonToString(objectAt(state('cleanup.pendingEndpoints'))),
        ),
      },
      resultPath: state('error'),
    });
    const pending = sfn.Condition.isPresent(`${state('cleanup.pendingEndpoints')}[0]`);
    return letTasksFinish
      .next(firstPass)
      .next(cleanUp)
      .next(
        new sfn.Choice(this, 'Endpoints still being created?')
          .when(
            sfn.Condition.and(pending, sfn.Condition.numberLessThan(state('cleanup.attempt'), MAX_CLEAN_UP_ATTEMPTS)),
            waitToSettle.next(cleanUp),
          )
          .when(pending, nameLeftovers.next(experimentFailed))
          .otherwise(experimentFailed),
      );
  }

  /**
   * A Lambda error's cause is Lambda's JSON envelope (errorType, errorMessage, stack trace): keep just the message,
   * so the console shows a sentence. Other causes (the Fail states' own) pass as they are.
   */
  private readableCause(label: string, next: sfn.IChainable): sfn.IChainable {
    const parse = new sfn.Pass(this, `Read the Lambda error${label}`, {
      parameters: { envelope: sfn.JsonPath.stringToJson(stringAt(state('error.Cause'))) },
      resultPath: state('lambdaError'),
    });
    const keepMessage = new sfn.Pass(this, `Keep its message${label}`, {
      parameters: { Error: stringAt(state('error.Error')), Cause: stringAt(state('lambdaError.envelope.errorMessage')) },
      resultPath: state('error'),
    });
    return new sfn.Choice(this, `Cause from a Lambda?${label}`)
      .when(
        // Node.js writes errorType first; other runtimes start with errorMessage.
        sfn.Condition.or(
          sfn.Condition.stringMatches(state('error.Cause'), '{"errorType":*"errorMessage":*'),
          sfn.Condition.stringMatches(state('error.Cause'), '{"errorMessage":*'),
        ),
        parse.next(keepMessage).next(next),
      )
      .otherwise(next);
  }

  /**
   * A Lambda task that returns the handler's result, retried on Lambda service errors and SageMaker throttling, and
   * once when the function crashed or timed out: every task is idempotent, and one bad sandbox should not end a run.
   */
  private invoke(
    id: string,
    fn: lambda.IFunction,
    options: { payload?: sfn.TaskInput; inputPath?: string; resultPath?: string; outputPath?: string },
  ): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      ...(options.payload && { payload: options.payload }),
      ...(options.inputPath && { inputPath: options.inputPath }),
      ...(options.resultPath && { resultPath: options.resultPath }),
      ...(options.outputPath && { outputPath: options.outputPath }),
    });
    task.addRetry({
      errors: ['ThrottlingException', 'Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: sfn.JitterType.FULL,
    });
    task.addRetry({ errors: [...CRASHED_OR_TIMED_OUT], interval: Duration.seconds(5), maxAttempts: 1 });
    return task;
  }
}
