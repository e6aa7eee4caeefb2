import { areaCodeState } from '../numbers/area-codes';
import { NPA_ZONES, STATE_ZONES, TERRITORY_ZONES, UNKNOWN_ZONES, ZIP3_ZONES, ZIP5_ZONES, ZONE_OF_LETTER, zipState } from './zone-data';
import { isKnownZone } from './zoned-time';

/**
 * The recipient's time zone: from their address (state, and zip where the state is split),
 * else from their phone's area code, else unknown. See zone-data.ts for the data and its limits.
 *
 * The answer is a list of zones, not one: where the data cannot tell two zones apart (a zip
 * prefix or area code that straddles a zone line, or nothing known at all), every candidate is
 * returned and the windows must hold in all of them.
 */
export type ZoneSource = 'address' | 'area_code' | 'unknown';

/** What exactly decided it, for the dry-run's per-lead explanation. */
export type ZoneBasis = 'time_zone' | 'zip' | 'zip_prefix' | 'state' | 'area_code' | 'none';

export interface RecipientZone {
	/** The likeliest IANA zone, null when nothing is known. */
	zone: string | null;
	/** Every zone the recipient may be in, likeliest first; windows must hold in all. */
	zones: readonly string[];
	via: ZoneSource;
	basis: ZoneBasis;
	/** States whose quiet-hours rules bind: the address state and the phone's area-code state (Florida, for one, presumes a Florida area code is a Florida resident). */
	states: readonly string[];
}

export interface Address {
	state?: string | null;
	zip?: string | null;
}

export interface RecipientInput extends Address {
	/** The owner's mailing address (property-centric leads): where the person is, so it comes first. */
	mailing?: Address | null;
	/** A zone already stored on the lead (`leads.time_zone`), trusted when the runtime knows it. */
	timeZone?: string | null;
	/** The NPA of the phone being texted. */
	areaCode?: string | null;
}

const decoded = new Map<string, readonly string[]>();

function zonesOf(letters: string): readonly string[] {
	let zones = decoded.get(letters);
	if (!zones) {
		zones = Object.freeze([...letters].map((l) => ZONE_OF_LETTER[l]!).filter(Boolean));
		decoded.set(letters, zones);
	}
	return zones;
}

/** One IANA zone as a frozen list, shared, so a million leads do not make a million arrays. */
function zonesOf1(zone: string): readonly string[] {
	let zones = decoded.get(zone);
	if (!zones) {
		zones = Object.freeze([zone]);
		decoded.set(zone, zones);
	}
	return zones;
}

function stateZones(state: string): readonly string[] | null {
	const territory = TERRITORY_ZONES[state];
	if (territory) return zonesOf1(territory);
	const letters = STATE_ZONES[state];
	return letters ? zonesOf(letters) : null;
}

function pickAddress(input: RecipientInput): Address {
	const m = input.mailing;
	return m && (m.state || m.zip) ? m : input;
}

function zoneFromAddress(address: Address): { zones: readonly string[]; basis: ZoneBasis; state: string } | null {
	const zip = /^\d{5}/.test(address.zip ?? '') ? address.zip!.slice(0, 5) : null;
	const zipOwner = zip ? zipState(zip) : null;
	const state = address.state?.trim().toUpperCase() || zipOwner;
	if (!state) return null;
	const whole = stateZones(state);
	if (!whole) return null;
	// A zip from another state is a typo in one of the two; trust the state, which people check.
	if (zip && zipOwner === state && !TERRITORY_ZONES[state]) {
		const exact = ZIP5_ZONES[zip];
		if (exact) return { zones: zonesOf(exact), basis: 'zip', state };
		const prefix = ZIP3_ZONES[zip.slice(0, 3)];
		if (prefix) return { zones: zonesOf(prefix), basis: 'zip_prefix', state };
	}
	return { zones: whole, basis: 'state', state };
}

function result(zones: readonly string[], via: ZoneSource, basis: ZoneBasis, states: (string | null)[]): RecipientZone {
	const unique = [...new Set(states.filter((s): s is string => !!s))];
	return { zone: via === 'unknown' ? null : (zones[0] ?? null), zones, via, basis, states: unique };
}

export function recipientZone(input: RecipientInput): RecipientZone {
	const npaState = areaCodeState(input.areaCode);
	const address = zoneFromAddress(pickAddress(input));
	if (input.timeZone && isKnownZone(input.timeZone)) return result(zonesOf1(input.timeZone), 'address', 'time_zone', [address?.state ?? null, npaState]);
	if (address) return result(address.zones, 'address', address.basis, [address.state, npaState]);
	if (npaState && input.areaCode) {
		const letters = NPA_ZONES[input.areaCode];
		const zones = letters ? zonesOf(letters) : stateZones(npaState);
		if (zones) return result(zones, 'area_code', 'area_code', [npaState]);
	}
	return result(UNKNOWN_ZONES, 'unknown', 'none', []);
}
