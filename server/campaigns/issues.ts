/** A problem with one field of a step's config, addressed so the form and the node can show it. */
export interface FieldIssue {
	/** Dotted path into the config ("body", "branches.1.keywords"); "" for the step as a whole. */
	field: string;
	message: string;
	severity: 'error' | 'warning';
	/** Stable, for tests and for choosing a fix to offer; the message is for people. */
	code: string;
	/** For template fields: the UTF-16 span of the source to underline. */
	start?: number;
	end?: number;
}

/** Why a resolved action cannot be carried out as planned for this lead. */
export interface ActionProblem {
	code: string;
	message: string;
	start?: number;
	end?: number;
}
