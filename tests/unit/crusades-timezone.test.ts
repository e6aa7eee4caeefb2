import { describe, expect, it } from 'vitest';
import { recipientZone } from '../../server/crusades/timezone';
import { NPA_ZONES, STATE_ZONES, TERRITORY_ZONES, UNKNOWN_ZONES, ZIP3_ZONES, ZIP5_ZONES, ZONE_OF_LETTER, zipState } from '../../server/crusades/zone-data';
import { isKnownZone } from '../../server/crusades/zoned-time';
import { areaCodeState, knownAreaCodes } from '../../server/numbers/area-codes';

const E = 'America/New_York';
const C = 'America/Chicago';
const M = 'America/Denver';
const P = 'America/Los_Angeles';

const byZip = (state: string, zip: string) => recipientZone({ state, zip });

describe('recipient zone from the address', () => {
	it.each([
		// Florida: the panhandle west of the Apalachicola is Central; Port St. Joe is not.
		['FL', '33131', [E], 'state'],
		['FL', '32301', [E], 'state'],
		['FL', '32501', [C], 'zip_prefix'],
		['FL', '32401', [C], 'zip_prefix'],
		['FL', '32456', [E], 'zip'],
		// Texas: El Paso is Mountain; the Big Bend counties next door are Central.
		['TX', '75201', [C], 'state'],
		['TX', '79901', [M], 'zip_prefix'],
		['TX', '79838', [M], 'zip'],
		['TX', '79830', [C], 'zip'],
		['TX', '88510', [M], 'zip_prefix'],
		// Tennessee: East Tennessee is Eastern, and the Chattanooga prefix straddles the line.
		['TN', '37201', [C], 'state'],
		['TN', '37902', [E], 'zip_prefix'],
		['TN', '37402', [E], 'zip_prefix'],
		['TN', '37311', [E], 'zip'],
		['TN', '37347', [C], 'zip'],
		['TN', '37723', [C], 'zip'],
		// Kentucky: the western half is Central.
		['KY', '40202', [E], 'state'],
		['KY', '42001', [C], 'zip_prefix'],
		['KY', '42101', [C], 'zip_prefix'],
		['KY', '42701', [E], 'zip'],
		['KY', '42728', [C], 'zip'],
		// Indiana: the Chicago and Evansville corners are Central.
		['IN', '46204', [E], 'state'],
		['IN', '46402', [C], 'zip_prefix'],
		['IN', '47708', [C], 'zip_prefix'],
		['IN', '47586', [C], 'zip'],
		['IN', '47546', [E], 'zip'],
		// Michigan's Upper Peninsula: four counties on the Wisconsin line are Central.
		['MI', '48226', [E], 'state'],
		['MI', '49801', [C], 'zip'],
		['MI', '49855', [E], 'zip'],
		// The Dakotas, Nebraska, Kansas: the west is Mountain.
		['ND', '58102', [C], 'state'],
		['ND', '58601', [M], 'zip'],
		['ND', '58501', [C], 'zip'],
		['SD', '57104', [C], 'state'],
		['SD', '57701', [M], 'zip_prefix'],
		['NE', '68102', [C], 'state'],
		['NE', '69361', [M], 'zip_prefix'],
		['NE', '69101', [C], 'zip'],
		['KS', '67202', [C], 'state'],
		['KS', '67735', [M], 'zip'],
		// Oregon's Malheur County is Mountain; Idaho's panhandle is Pacific.
		['OR', '97201', [P], 'state'],
		['OR', '97914', [M], 'zip'],
		['ID', '83702', [M], 'state'],
		['ID', '83814', [P], 'zip_prefix'],
		['ID', '83501', [P], 'zip'],
		// Arizona keeps standard time, except the Navajo Nation.
		['AZ', '85004', ['America/Phoenix'], 'state'],
		['AZ', '86001', ['America/Phoenix'], 'zip'],
		['AZ', '86503', [M], 'zip'],
		// One-zone states and territories.
		['AK', '99501', ['America/Anchorage'], 'state'],
		['AK', '99546', ['America/Adak'], 'zip'],
		['HI', '96813', ['Pacific/Honolulu'], 'state'],
		['PR', '00901', ['America/Puerto_Rico'], 'state'],
		['CA', '94110', [P], 'state']
	] as const)('%s %s → %j (%s)', (state, zip, zones, basis) => {
		const z = byZip(state, zip);
		expect(z.zones).toEqual(zones);
		expect(z.zone).toBe(zones[0]);
		expect(z.via).toBe('address');
		expect(z.basis).toBe(basis);
	});

	it('gives both zones where a zip prefix straddles a line and the zip is not listed', () => {
		expect(byZip('TX', '79840').zones).toEqual([C, M]);
		expect(byZip('KY', '42715').zones).toEqual([E, C]);
		expect(byZip('TN', '37338').zones).toEqual([E, C]);
		// Towns that keep the other zone informally get both, whatever the law says.
		expect(byZip('AL', '36867').zones).toEqual([C, E]);
	});

	it('falls back to the state when the zip is missing, malformed or from another state', () => {
		expect(recipientZone({ state: 'TN' })).toMatchObject({ zones: [C], basis: 'state' });
		expect(byZip('TN', 'n/a')).toMatchObject({ zones: [C], basis: 'state' });
		expect(byZip('CA', '32501')).toMatchObject({ zones: [P], basis: 'state' });
		expect(byZip('fl', '32501-1234')).toMatchObject({ zones: [C], basis: 'zip_prefix' });
	});

	it('finds the state from the zip when only the zip is known', () => {
		expect(recipientZone({ zip: '32501' })).toMatchObject({ zones: [C], via: 'address', states: ['FL'] });
		expect(recipientZone({ zip: '96799' })).toMatchObject({ zones: ['Pacific/Pago_Pago'], states: ['AS'] });
	});

	it('prefers the owner’s mailing address to the property address', () => {
		const z = recipientZone({ state: 'TX', zip: '75201', mailing: { state: 'CA', zip: '94110' } });
		expect(z).toMatchObject({ zones: [P], states: ['CA'] });
		expect(recipientZone({ state: 'TX', zip: '75201', mailing: { state: '', zip: '' } }).zones).toEqual([C]);
	});

	it('trusts a zone stored on the lead when the runtime knows it', () => {
		expect(recipientZone({ state: 'TX', timeZone: 'America/Denver' })).toMatchObject({ zones: [M], basis: 'time_zone', states: ['TX'] });
		expect(recipientZone({ state: 'TX', timeZone: 'Mars/Olympus_Mons' })).toMatchObject({ zones: [C], basis: 'state' });
	});
});

describe('recipient zone from the area code', () => {
	it('uses the phone’s area code when there is no address', () => {
		expect(recipientZone({ areaCode: '212' })).toMatchObject({ zone: E, zones: [E], via: 'area_code', states: ['NY'] });
		expect(recipientZone({ areaCode: '915' }).zones).toEqual([M]);
		expect(recipientZone({ areaCode: '907' }).zones).toEqual(['America/Anchorage']);
		expect(recipientZone({ areaCode: '787' }).zones).toEqual(['America/Puerto_Rico']);
	});

	it('gives every zone an area code spans', () => {
		expect(recipientZone({ areaCode: '850' }).zones).toEqual([C, E]);
		expect(recipientZone({ areaCode: '605' }).zones).toEqual([C, M]);
		expect(recipientZone({ areaCode: '208' }).zones).toEqual([M, P]);
	});

	it('binds the area code’s state rules too, next to the address state’s', () => {
		expect(recipientZone({ state: 'NY', zip: '10001', areaCode: '305' }).states).toEqual(['NY', 'FL']);
		expect(recipientZone({ state: 'FL', zip: '33131', areaCode: '305' }).states).toEqual(['FL']);
	});
});

describe('unknown recipient zone', () => {
	it('says unknown and offers every contiguous zone, so windows hold everywhere', () => {
		for (const input of [{}, { areaCode: '416' }, { areaCode: '800' }, { state: 'ZZ' }, { zip: '09001' }]) {
			const z = recipientZone(input);
			expect(z.via).toBe('unknown');
			expect(z.zone).toBeNull();
			expect(z.zones).toEqual(UNKNOWN_ZONES);
		}
	});
});

describe('zone data', () => {
	it('expands every letter to a zone this runtime knows', () => {
		for (const zone of [...Object.values(ZONE_OF_LETTER), ...Object.values(TERRITORY_ZONES)]) expect(isKnownZone(zone), zone).toBe(true);
		const letters = new Set(Object.keys(ZONE_OF_LETTER));
		for (const code of [...Object.values(STATE_ZONES), ...Object.values(ZIP3_ZONES), ...Object.values(ZIP5_ZONES), ...Object.values(NPA_ZONES)]) {
			for (const l of code) expect(letters.has(l), code).toBe(true);
		}
	});

	it('has a zone for every state an area code serves', () => {
		for (const npa of knownAreaCodes()) {
			const state = areaCodeState(npa)!;
			expect(STATE_ZONES[state] ?? TERRITORY_ZONES[state], `${npa} ${state}`).toBeTruthy();
		}
		for (const npa of Object.keys(NPA_ZONES)) expect(areaCodeState(npa), npa).not.toBeNull();
	});

	it('lists zips and prefixes only in states that own them', () => {
		for (const zip3 of Object.keys(ZIP3_ZONES)) expect(zipState(`${zip3}01`), zip3).not.toBeNull();
		for (const zip of Object.keys(ZIP5_ZONES)) expect(STATE_ZONES[zipState(zip) ?? ''], zip).toBeTruthy();
	});

	it('names, for a zip inside a straddling prefix, only zones of that prefix', () => {
		for (const [zip, zones] of Object.entries(ZIP5_ZONES)) {
			const prefix = ZIP3_ZONES[zip.slice(0, 3)];
			if (prefix && prefix.length > 1) for (const l of zones) expect(prefix.includes(l), `${zip} ${zones} in ${prefix}`).toBe(true);
		}
	});
});
