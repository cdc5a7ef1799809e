import {
  ExecutionStatus,
  decideRemoval,
  executionStatusOf,
  planRemovals,
  ResourceView,
} from '../../../../lambda/core/cleanup/removal-policy';

const keepEndpoints = { 'experiment:keep-endpoints': 'true' };
const keepModels = { 'experiment:keep-models': 'true' };
const view = (kind: ResourceView['kind'], tags: Record<string, string> = {}, status?: string): ResourceView => ({
  kind,
  name: 'linear-sharded-20261128-155328-0a1b2c3d',
  tags,
  ...(status && { status }),
});

describe('decideRemoval', () => {
  it.each<ExecutionStatus>(['RUNNING', 'PENDING_REDRIVE'])('touches nothing of an execution that is %s', (status) => {
    // GIVEN / WHEN / THEN
    for (const resource of [
      view('trainingJob', {}, 'InProgress'),
      view('endpoint', {}, 'InService'),
      view('endpointConfig'),
      view('model'),
    ]) {
      expect(decideRemoval(resource, status)).toBe('none');
    }
  });

  it.each<ExecutionStatus>(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'UNKNOWN'])(
    'stops a job still running after the execution ended %s',
    (status) => {
      // GIVEN / WHEN / THEN
      expect(decideRemoval(view('trainingJob', keepEndpoints, 'InProgress'), status)).toBe('stop');
    },
  );

  it('leaves a job that has ended or is stopping', () => {
    // GIVEN / WHEN / THEN
    expect(decideRemoval(view('trainingJob', {}, 'Stopping'), 'ABORTED')).toBe('none');
    expect(decideRemoval(view('trainingJob', {}, 'Completed'), 'ABORTED')).toBe('none');
  });

  it.each<ExecutionStatus>(['SUCCEEDED', 'UNKNOWN'])(
    'keeps endpoint, config and model of a %s execution asked to keep its endpoints',
    (status) => {
      // GIVEN / WHEN / THEN
      expect(
        ['endpoint', 'endpointConfig', 'model'].map((kind) => decideRemoval(view(kind as never, keepEndpoints, 'InService'), status)),
      ).toEqual(['keep', 'keep', 'keep']);
    },
  );

  it.each<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'deletes endpoint, config and model of a %s execution even if asked to keep endpoints',
    (status) => {
      // GIVEN / WHEN / THEN
      expect(
        ['endpoint', 'endpointConfig', 'model'].map((kind) => decideRemoval(view(kind as never, keepEndpoints, 'InService'), status)),
      ).toEqual(['delete', 'delete', 'delete']);
    },
  );

  it.each<ExecutionStatus>(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'UNKNOWN'])(
    'keeps only the model of a %s execution asked to keep models',
    (status) => {
      // GIVEN / WHEN / THEN
      expect(
        ['endpoint', 'endpointConfig', 'model'].map((kind) => decideRemoval(view(kind as never, keepModels, 'InService'), status)),
      ).toEqual(['delete', 'delete', 'keep']);
    },
  );

  it('deletes what nobody asked to keep, also of a succeeded execution', () => {
    // GIVEN / WHEN / THEN
    expect(decideRemoval(view('endpoint', {}, 'InService'), 'SUCCEEDED')).toBe('delete');
    expect(decideRemoval(view('model'), 'SUCCEEDED')).toBe('delete');
  });

  it('removes kept resources too when asked to (the clean-up command)', () => {
    // GIVEN / WHEN / THEN
    const tags = { ...keepEndpoints, ...keepModels };
    expect(
      ['endpoint', 'endpointConfig', 'model'].map((kind) =>
        decideRemoval(view(kind as never, tags, 'InService'), 'SUCCEEDED', { removeKept: true }),
      ),
    ).toEqual(['delete', 'delete', 'delete']);
  });

  it.each(['Creating', 'Updating', 'SystemUpdating', 'RollingBack'])(
    'waits for an endpoint that is %s, which SageMaker cannot delete yet',
    (status) => {
      // GIVEN / WHEN / THEN
      expect(decideRemoval(view('endpoint', {}, status), 'ABORTED')).toBe('wait');
    },
  );

  it('leaves an endpoint already being deleted', () => {
    // GIVEN / WHEN / THEN
    expect(decideRemoval(view('endpoint', {}, 'Deleting'), 'ABORTED')).toBe('none');
  });

  it('deletes a failed endpoint, which SageMaker can delete', () => {
    // GIVEN / WHEN / THEN
    expect(decideRemoval(view('endpoint', {}, 'Failed'), 'ABORTED')).toBe('delete');
  });
});

describe('planRemovals', () => {
  it('lets the config and model of an endpoint that must wait wait with it', () => {
    // GIVEN
    const resources = [view('model'), view('endpointConfig'), view('endpoint', {}, 'Creating')];
    // WHEN
    const plan = planRemovals(resources, () => 'ABORTED');
    // THEN
    expect(plan.map(({ resource, action }) => [resource.kind, action])).toEqual([
      ['endpoint', 'wait'],
      ['endpointConfig', 'wait'],
      ['model', 'wait'],
    ]);
  });

  it('orders jobs first, then endpoints before the configs and models they use', () => {
    // GIVEN
    const resources = [view('model'), view('endpointConfig'), view('endpoint', {}, 'InService'), view('trainingJob', {}, 'InProgress')];
    // WHEN
    const plan = planRemovals(resources, () => 'TIMED_OUT');
    // THEN
    expect(plan.map(({ resource, action }) => [resource.kind, action])).toEqual([
      ['trainingJob', 'stop'],
      ['endpoint', 'delete'],
      ['endpointConfig', 'delete'],
      ['model', 'delete'],
    ]);
  });

  it("decides each resource by its own execution's status", () => {
    // GIVEN
    const running = { ...view('model'), name: 'a' };
    const ended = { ...view('model'), name: 'b' };
    // WHEN
    const plan = planRemovals([running, ended], (resource) => (resource.name === 'a' ? 'RUNNING' : 'FAILED'));
    // THEN
    expect(plan.map(({ resource, action }) => [resource.name, action])).toEqual([
      ['a', 'none'],
      ['b', 'delete'],
    ]);
  });
});

describe('executionStatusOf', () => {
  it("passes Step Functions' statuses and treats a status it does not know as running", () => {
    // GIVEN / WHEN / THEN
    expect(executionStatusOf('ABORTED')).toBe('ABORTED');
    expect(executionStatusOf('SOMETHING_NEW')).toBe('RUNNING');
    expect(executionStatusOf(undefined)).toBe('RUNNING');
  });
});
