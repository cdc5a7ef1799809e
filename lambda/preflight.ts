/**
 * Workflow task, right after the plan: checks the SageMaker quotas and the GDELT source objects the execution
 * needs, and fails with every problem at once (PreflightFailed) before anything is read or created.
 */
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { requiredEnv } from './core/common/environment';
import { PreflightFailed, PreflightRequest, PreflightResult, quotaFindings, quotaNeeds, sourceProblem } from './core/preflight/preflight';
import { newSourceS3Client } from './core/data/source-client';
import { readQuotas } from './core/preflight/service-quotas';
import { sourceFailures } from './core/preflight/source-objects';

const quotasClient = new ServiceQuotasClient({});
const sourceClient = newSourceS3Client();

export async function handler(request: PreflightRequest): Promise<PreflightResult> {
  if (!request.enabled) return { checked: false, warnings: [] };
  const region = requiredEnv('AWS_REGION');
  const needs = quotaNeeds(request);
  const [reading, failures] = await Promise.all([
    readQuotas(
      quotasClient,
      needs.map((need) => need.quotaName),
    ),
    sourceFailures(sourceClient, request.years),
  ]);
  const quotas = quotaFindings(needs, reading, region);
  const problems = [...quotas.problems, ...failures.map(sourceProblem)];
  if (problems.length > 0) throw new PreflightFailed(problems);
  return { checked: true, warnings: quotas.warnings };
}
