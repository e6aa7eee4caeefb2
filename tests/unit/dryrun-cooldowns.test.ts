import { describe, expect, it } from 'vitest';
import { budgetsSchema } from '../../server/crusades/budgets';
import { campaignCooldownsMs } from '../../server/dryrun/lead-pass';

const HOUR = 3_600_000;

describe('retext cooldown per campaign', () => {
	it("gives each campaign its own vertical's cooldown, the run's vertical to one without, the default to an unlisted one", () => {
		const budgets = budgetsSchema.parse({ cooldownHours: { solar: 24, real_estate: 96 }, cooldownHoursDefault: 72 });
		const cooldowns = campaignCooldownsMs({
			budgets,
			vertical: 'real_estate',
			campaigns: [{ vertical: 'solar' }, { vertical: 'real_estate' }, {}, { vertical: 'insurance' }]
		});
		expect(cooldowns).toEqual([24 * HOUR, 96 * HOUR, 96 * HOUR, 72 * HOUR]);
	});
});
