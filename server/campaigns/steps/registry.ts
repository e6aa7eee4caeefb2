import type { CampaignLead } from '../lead';
import { getStepType, type CampaignStep, type StepAction } from './catalog';
import type { CompiledStep, ResolveContext, ValidationContext } from './define';

/**
 * The one place the canvas, the API, the dry-run and the sender learn about steps: each
 * type's schema (validation), payload resolver and UI manifest, and the graph rules.
 */
export { findStepType, getStepType, outputsOf, stepTypes, validateStep, type CampaignStep, type StepAction, type StepTypeName } from './catalog';
export type { ActionProblem, CampaignChannel, FieldIssue, FieldManifest, ResolveContext, StepManifest, StepOutput, StepType, ValidationContext } from './define';
export { validateGraph, type CampaignEdge, type CampaignGraph, type GraphIssue, type GraphValidationOptions } from './graph';

/**
 * Validates a step once and returns its resolver, for running many leads through it (the
 * dry-run): templates are parsed here, not per lead. Unknown types throw.
 */
export function compileStep(step: CampaignStep, ctx: ValidationContext = {}): CompiledStep<StepAction> {
	return getStepType(step.type).compile(step.config ?? {}, ctx);
}

/**
 * The concrete action for one lead (a preview, a single send). Throws UnknownStepTypeError
 * or InvalidStepError; per-lead trouble (a missing merge value) is in `problems` instead.
 */
export function resolveStep(step: CampaignStep, lead: CampaignLead, ctx: Omit<ResolveContext, 'stepId'>): StepAction {
	return getStepType(step.type).resolve(step.config ?? {}, lead, { ...ctx, stepId: step.id });
}
