import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { finishVariant, FinishVariantRequest, FinishVariantResult } from './core/cleanup/finish-variant';

const sagemaker = new SageMakerClient({});

export type FinishVariantEvent = FinishVariantRequest;

/**
 * The last state of a variant's pipeline: deletes its endpoint once it has been scored (unless kept), or removes
 * what a failed variant created; returns the summary the report lists.
 */
export const handler = async (event: FinishVariantEvent): Promise<FinishVariantResult> => finishVariant(sagemaker, event);
