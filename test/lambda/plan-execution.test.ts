import { handler } from '../../lambda/plan-execution';
import { DEFAULTS, EXECUTION } from './variant-fixture';

const savedEnv = process.env;

beforeEach(() => {
  process.env = { ...savedEnv, STACK_NAME: 'MyExperiment' };
});

afterAll(() => {
  process.env = savedEnv;
});

describe('plan-execution handler', () => {
  it('plans the execution for the stack named in its environment', async () => {
    // GIVEN / WHEN
    const plan = await handler({ input: { Comment: 'Insert your JSON here' }, execution: EXECUTION, defaults: DEFAULTS });
    // THEN
    expect(plan.execution.stackName).toBe('MyExperiment');
    expect(plan.variants.map((variant) => variant.tags[0])).toEqual([
      { Key: 'experiment:stack', Value: 'MyExperiment' },
      { Key: 'experiment:stack', Value: 'MyExperiment' },
    ]);
    expect(plan.settings).toEqual(DEFAULTS);
  });

  it('rejects invalid execution input with an InvalidSettings error', async () => {
    // GIVEN / WHEN / THEN
    await expect(handler({ input: { s3Prefix: 'x', epochs: 4 }, execution: EXECUTION, defaults: DEFAULTS })).rejects.toMatchObject({
      name: 'InvalidSettings',
      message: expect.stringMatching(/^Invalid execution input:\n- s3Prefix: can only be set at deploy time.*\n- epochs: unknown setting/),
    });
  });

  it('fails clearly without the stack name in its environment', async () => {
    // GIVEN
    delete process.env.STACK_NAME;
    // WHEN / THEN
    await expect(handler({ input: {}, execution: EXECUTION, defaults: DEFAULTS })).rejects.toThrow(
      /Environment variable STACK_NAME is not set/,
    );
  });
});
