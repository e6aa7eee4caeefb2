import { z } from 'zod';

/**
 * The live grid's stages, left to right: lead files → campaigns → sender numbers → crusades.
 * Pure (no server imports): the socket protocol and the browser use it too.
 */
export const OVERVIEW_STAGES = ['files', 'campaigns', 'numbers', 'crusades'] as const;
export type OverviewStage = (typeof OVERVIEW_STAGES)[number];

export const overviewStageSchema = z.enum(OVERVIEW_STAGES);

/** What the database announces (migration 0015): a stage, or `leads` when an import ended. */
const NOTICE_TOPICS = [...OVERVIEW_STAGES, 'leads'] as const;
export type OverviewTopic = (typeof NOTICE_TOPICS)[number];

export interface OverviewNotice {
	workspaceId: string;
	topic: OverviewTopic;
}

const noticePattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([a-z]+)$/;

/** `<workspace uuid>:<topic>` as the triggers send it; anything else is not ours. */
export function parseOverviewNotice(payload: string): OverviewNotice | null {
	const m = noticePattern.exec(payload);
	if (!m?.[1] || !m[2] || !(NOTICE_TOPICS as readonly string[]).includes(m[2])) return null;
	return { workspaceId: m[1], topic: m[2] as OverviewTopic };
}

/** The stage a topic shows on: leads changing moves audience sizes, on the campaigns stage. */
export function stageOf(topic: OverviewTopic): OverviewStage {
	return topic === 'leads' ? 'campaigns' : topic;
}
