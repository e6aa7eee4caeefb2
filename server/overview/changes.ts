import pg from 'pg';
import { config } from '../config';
import { logger } from '../logger';
import { forgetAudienceCounts } from './audience';
import { parseOverviewNotice, stageOf, type OverviewStage } from './stages';

/** The channel the triggers of migration 0015 notify on. */
export const OVERVIEW_CHANNEL = 'muster_overview';

export interface OverviewFollower {
	/** A stage of a workspace changed (already mapped: an ended import is `campaigns` too). */
	onChange: (workspaceId: string, stage: OverviewStage) => void;
	/** The connection was lost and is back: notices may have been missed, so everything is stale. */
	onResync: () => void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Follows the database's change notices on a connection of its own (LISTEN needs one that
 * stays open, outside the pool). Every instance listens, so every instance hears every
 * workspace's changes, whichever process wrote them. An ended import also forgets this
 * process's cached audience counts for the workspace. The connection is reopened with
 * backoff when it drops; resolves to a function that stops.
 */
export function followOverviewChanges(follower: OverviewFollower, databaseUrl = config().DATABASE_URL): () => Promise<void> {
	const log = logger().child({ module: 'overview' });
	let client: pg.Client | null = null;
	let stopped = false;
	let retry = RETRY_MIN_MS;
	let timer: NodeJS.Timeout | null = null;
	/** Set when a connection failed or dropped: notices sent meanwhile were missed. */
	let missed = false;

	const schedule = () => {
		if (stopped || timer) return;
		timer = setTimeout(() => {
			timer = null;
			void open();
		}, retry);
		retry = Math.min(RETRY_MAX_MS, retry * 2);
	};

	async function open(): Promise<void> {
		// Keepalive: an idle LISTEN connection must not be dropped silently by a firewall or NAT.
		const next = new pg.Client({ connectionString: databaseUrl, application_name: `muster-${config().ROLE}-overview`, keepAlive: true });
		client = next;
		const lost = (error?: unknown) => {
			if (client !== next) return;
			client = null;
			next.removeAllListeners('notification');
			next.end().catch(() => undefined);
			missed = true;
			if (!stopped) {
				log.warn({ err: error }, 'overview listener lost its connection; reconnecting');
				schedule();
			}
		};
		next.on('error', lost);
		next.on('end', () => lost());
		next.on('notification', (message) => {
			if (message.channel !== OVERVIEW_CHANNEL || !message.payload) return;
			const notice = parseOverviewNotice(message.payload);
			if (!notice) return;
			if (notice.topic === 'leads') forgetAudienceCounts(notice.workspaceId);
			follower.onChange(notice.workspaceId, stageOf(notice.topic));
		});
		try {
			await next.connect();
			await next.query(`LISTEN ${OVERVIEW_CHANNEL}`);
		} catch (error) {
			lost(error);
			return;
		}
		if (stopped) {
			await next.end().catch(() => undefined);
			return;
		}
		retry = RETRY_MIN_MS;
		if (missed) {
			missed = false;
			forgetAudienceCounts();
			follower.onResync();
		}
	}

	void open();
	return async () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		const current = client;
		client = null;
		await current?.end().catch(() => undefined);
	};
}
