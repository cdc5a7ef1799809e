import { requiredEnv } from './core/common/environment';
import { ExecutionPlan, PlanRequest, planExecution } from './core/experiment/plan';

/** The workflow's first state: rejects invalid execution input before anything is created. */
export async function handler(request: Omit<PlanRequest, 'stackName'>): Promise<ExecutionPlan> {
  return planExecution({ ...request, stackName: requiredEnv('STACK_NAME') });
}
