import type { z } from 'zod';
import { InvalidStepError } from '../errors';
import type { ActionProblem, FieldIssue } from '../issues';
import type { CampaignLead, SenderContext } from '../lead';
import type { NextWindowStart } from '../window';

export type { ActionProblem, FieldIssue };

export type CampaignChannel = 'sms' | 'mms';

interface FieldBase {
	/** Dotted path into the config. */
	name: string;
	label: string;
	help?: string;
	required?: boolean;
	default?: unknown;
	/** Shown only while another field of the step has this value. */
	visibleWhen?: { field: string; equals: string };
	/** Shown only for campaigns on these channels. */
	channels?: readonly CampaignChannel[];
}

/** How the side panel draws one input; kinds map one-to-one to form components. */
export type FieldManifest = FieldBase &
	(
		| { kind: 'text'; maxLength: number; placeholder?: string }
		| { kind: 'textarea'; maxLength: number; rows?: number; /** Merge-field menu, spintax and the segment counter. */ template?: boolean }
		| { kind: 'number'; min: number; max: number; step?: number; unit?: string }
		| { kind: 'duration'; /** Values are whole minutes. */ minMinutes: number; maxMinutes: number }
		| { kind: 'select'; options: readonly { value: string; label: string }[]; multiple?: boolean }
		| { kind: 'keywords'; maxItems: number; maxLength: number }
		| { kind: 'member' }
		| { kind: 'time' }
		| { kind: 'media'; accept: readonly string[]; maxItems: number; maxTotalBytes: number }
		| {
				kind: 'list';
				itemLabel: string;
				minItems: number;
				maxItems: number;
				fields: readonly FieldManifest[];
				/** A field the form fills with a fresh id for each new item; edges refer to it. */
				itemId?: string;
		  }
	);

export interface StepManifest {
	type: string;
	label: string;
	description: string;
	/** The step's icon key; app/lib/components/campaign/step-icons.ts maps it to an Icon name. */
	icon: string;
	category: 'flow' | 'message' | 'timing' | 'logic' | 'lead' | 'team';
	fields: readonly FieldManifest[];
}

/** A handle leads leave a node by; edges name it as their `sourceHandle`. */
export interface StepOutput {
	id: string;
	label: string;
}

export const NEXT: StepOutput = { id: 'next', label: 'Next' };

export interface ValidationContext {
	/** The campaign's channel; media and segment limits depend on it. */
	channel?: CampaignChannel;
	/** Ids of the workspace's members, when known, to catch a teammate who has left. */
	memberIds?: readonly string[];
}

export interface ResolveContext {
	stepId: string;
	now: Date;
	channel: CampaignChannel;
	sender: SenderContext;
	nextWindowStart: NextWindowStart;
}

export type Resolver<A> = (lead: CampaignLead, ctx: ResolveContext) => A;

export type CompiledStep<A> = { ok: true; resolve: Resolver<A> } | { ok: false; issues: FieldIssue[] };

/** A step type as the registry holds it: config arrives unchecked, from a live document. */
export interface StepType<T extends string = string, A = unknown> {
	type: T;
	manifest: StepManifest;
	schema: z.ZodType;
	/** A fresh config for a newly placed node. */
	defaults(): Record<string, unknown>;
	/** Tolerates an invalid config, so the canvas can draw handles while a form is half-filled. */
	outputs(config: unknown): StepOutput[];
	validate(config: unknown, ctx?: ValidationContext): FieldIssue[];
	/** Validates once and prepares what every lead shares (a parsed template), for the dry-run. */
	compile(config: unknown, ctx?: ValidationContext): CompiledStep<A>;
	/** The payload resolver: config + lead → the concrete action. Throws InvalidStepError. */
	resolve(config: unknown, lead: CampaignLead, ctx: ResolveContext): A;
}

export interface StepDefinition<T extends string, S extends z.ZodType, A> extends Omit<StepManifest, 'type'> {
	type: T;
	schema: S;
	outputs(config: unknown): StepOutput[];
	/** Rules beyond the schema's shape (templates, limits, channel, members). */
	check?(config: z.output<S>, ctx: ValidationContext): FieldIssue[];
	compile(config: z.output<S>): Resolver<A>;
}

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
	return error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message, severity: 'error', code: issue.code }));
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = target;
	for (const key of keys.slice(0, -1)) {
		if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
		node = node[key] as Record<string, unknown>;
	}
	node[keys.at(-1) as string] = value;
}

/** The config a new node starts with, from the fields' declared defaults (the one place they live). */
export function defaultsFromFields(fields: readonly FieldManifest[]): Record<string, unknown> {
	const config: Record<string, unknown> = {};
	for (const field of fields) if (field.default !== undefined) setPath(config, field.name, structuredClone(field.default));
	return config;
}

export function defineStep<T extends string, S extends z.ZodType, A>(definition: StepDefinition<T, S, A>): StepType<T, A> {
	const { type, label, description, icon, category, fields, schema } = definition;
	const compile = (config: unknown, ctx: ValidationContext = {}): CompiledStep<A> => {
		const parsed = schema.safeParse(config);
		if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
		const issues = definition.check?.(parsed.data, ctx) ?? [];
		if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };
		return { ok: true, resolve: definition.compile(parsed.data) };
	};
	return {
		type,
		manifest: { type, label, description, icon, category, fields },
		schema,
		defaults: () => defaultsFromFields(fields),
		outputs: definition.outputs,
		validate(config, ctx = {}) {
			const parsed = schema.safeParse(config);
			if (!parsed.success) return issuesFromZod(parsed.error);
			return definition.check?.(parsed.data, ctx) ?? [];
		},
		compile,
		resolve(config, lead, ctx) {
			const compiled = compile(config, { channel: ctx.channel });
			if (!compiled.ok) throw new InvalidStepError(ctx.stepId, type, compiled.issues);
			return compiled.resolve(lead, ctx);
		}
	};
}
