import { BadInputError } from '../errors';
import type { FieldIssue } from './issues';

/** A step type the registry does not know: a typo, or a document written by a newer build. */
export class UnknownStepTypeError extends BadInputError {
	constructor(readonly type: string) {
		super(`Unknown step type "${type}".`, { type });
		this.name = 'UnknownStepTypeError';
	}
}

/** A step whose config cannot be resolved; `issues` are the same ones the canvas shows. */
export class InvalidStepError extends BadInputError {
	constructor(
		readonly stepId: string,
		readonly type: string,
		readonly issues: FieldIssue[]
	) {
		super(`Step ${stepId} (${type}) is not valid: ${issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join('; ')}`, {
			stepId,
			type,
			issues
		});
		this.name = 'InvalidStepError';
	}
}
