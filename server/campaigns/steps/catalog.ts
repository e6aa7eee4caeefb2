import { UnknownStepTypeError } from '../errors';
import { addToDncStep, type DncAction } from './add-to-dnc';
import { branchOnReplyStep, type AwaitReplyAction } from './branch-on-reply';
import type { FieldIssue, StepOutput, StepType, ValidationContext } from './define';
import { notifyTeammateStep, type NotifyAction } from './notify-teammate';
import { sendMessageStep, type SendAction } from './send-message';
import { startStep, type StartAction } from './start';
import { stopStep, type StopAction } from './stop';
import { tagLeadStep, type TagAction } from './tag-lead';
import { waitStep, type WaitAction } from './wait';

/** Every step type, in the order the canvas palette lists them. */
export const stepTypes = [startStep, sendMessageStep, waitStep, branchOnReplyStep, tagLeadStep, addToDncStep, notifyTeammateStep, stopStep] as const;

export type StepTypeName = (typeof stepTypes)[number]['type'];

/** What resolving any step for a lead can produce, switched on `kind`. */
export type StepAction = StartAction | SendAction | WaitAction | AwaitReplyAction | TagAction | DncAction | NotifyAction | StopAction;

/** A node of the campaign document as the registry reads it; other node fields are ignored. */
export interface CampaignStep {
	id: string;
	type: string;
	config?: unknown;
}

const byType = new Map<string, StepType<StepTypeName, StepAction>>(stepTypes.map((step): [string, StepType<StepTypeName, StepAction>] => [step.type, step]));

export function findStepType(type: string): StepType<StepTypeName, StepAction> | undefined {
	return byType.get(type);
}

/** The type, or UnknownStepTypeError: for code paths that must not guess (publish, send). */
export function getStepType(type: string): StepType<StepTypeName, StepAction> {
	const found = byType.get(type);
	if (!found) throw new UnknownStepTypeError(type);
	return found;
}

/**
 * Field-addressed issues for one node, for live validation while people type. An unknown
 * type is an issue here, not an exception: a teammate on a newer build may have added it.
 */
export function validateStep(step: Pick<CampaignStep, 'type' | 'config'>, ctx: ValidationContext = {}): FieldIssue[] {
	const type = byType.get(step.type);
	if (!type) return [{ field: 'type', code: 'unknown_type', severity: 'error', message: `Unknown step type “${step.type}”.` }];
	return type.validate(step.config ?? {}, ctx);
}

/** The handles a node has, from its current config; none for an unknown type. */
export function outputsOf(step: Pick<CampaignStep, 'type' | 'config'>): StepOutput[] {
	return byType.get(step.type)?.outputs(step.config ?? {}) ?? [];
}
