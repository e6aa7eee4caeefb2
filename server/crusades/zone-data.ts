/**
 * Where US time zones fall, for scheduling in the recipient's local time.
 *
 * Source: written by hand from the US DOT time-zone boundaries (49 CFR part 71) and the IANA
 * tz database's zone comments, at the level of states, three-digit zip prefixes and a few
 * hundred five-digit zips. We looked for an npm package first: those that map zips to zones are
 * unmaintained and wrong where it matters (the most used one puts Ontario, OR in Pacific time and
 * Paducah, KY, Evansville and Valparaiso, IN in Eastern), and the one that maps area codes
 * (libphonenumber's data) pins an exact libphonenumber-js version and puts area code 270
 * (Paducah, Bowling Green) in Eastern time.
 *
 * Limits, and how they are made safe: a prefix that straddles a zone line lists both zones, and
 * the scheduler then sends only when it is allowed in both (a narrower window, never a quiet-
 * hours breach); zips are listed one by one only where we are confident. Places that keep an
 * unofficial zone (Phenix City, AL; West Wendover, NV) list both. Zip codes change rarely but do
 * change; a zip missing here falls back to its prefix, then to the state.
 *
 * Zones are written as letters and expand to one canonical IANA zone per rule set in force
 * (Indiana and Kentucky use New York's, Boise uses Denver's): only future times are scheduled,
 * so the zones' differing histories do not matter.
 */
export const ZONE_OF_LETTER: Readonly<Record<string, string>> = {
	E: 'America/New_York',
	C: 'America/Chicago',
	M: 'America/Denver',
	A: 'America/Phoenix',
	P: 'America/Los_Angeles',
	K: 'America/Anchorage',
	D: 'America/Adak',
	H: 'Pacific/Honolulu'
};

/** When nothing is known: every contiguous-US zone (Phoenix always matches Denver or LA). */
export const UNKNOWN_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'] as const;

/** Each state's zone, or its likelier zone first and the others it spans. */
export const STATE_ZONES: Readonly<Record<string, string>> = {
	AL: 'C', AK: 'K', AZ: 'A', AR: 'C', CA: 'P', CO: 'M', CT: 'E', DE: 'E', DC: 'E', FL: 'E', GA: 'E', HI: 'H',
	ID: 'M', IL: 'C', IN: 'E', IA: 'C', KS: 'C', KY: 'E', LA: 'C', ME: 'E', MD: 'E', MA: 'E', MI: 'E', MN: 'C',
	MS: 'C', MO: 'C', MT: 'M', NE: 'C', NV: 'P', NH: 'E', NJ: 'E', NM: 'M', NY: 'E', NC: 'E', ND: 'C', OH: 'E',
	OK: 'C', OR: 'P', PA: 'E', RI: 'E', SC: 'E', SD: 'C', TN: 'C', TX: 'C', UT: 'M', VT: 'E', VA: 'E', WA: 'P',
	WV: 'E', WI: 'C', WY: 'M'
};

/** Territories with one zone each, by IANA name. */
export const TERRITORY_ZONES: Readonly<Record<string, string>> = {
	PR: 'America/Puerto_Rico',
	VI: 'America/St_Thomas',
	GU: 'Pacific/Guam',
	MP: 'Pacific/Saipan',
	AS: 'Pacific/Pago_Pago'
};

/** Zip prefixes in split states whose zone differs from the state's, or that straddle a line. */
export const ZIP3_ZONES: Readonly<Record<string, string>> = {
	// Florida: the panhandle west of the Apalachicola River.
	'324': 'C', '325': 'C',
	// Texas: El Paso and Hudspeth counties (885 is El Paso's PO-box prefix).
	'798': 'CM', '799': 'M', '885': 'M',
	// Tennessee: East Tennessee.
	'373': 'EC', '374': 'E', '376': 'E', '377': 'E', '378': 'E', '379': 'E',
	// Kentucky: the western half.
	'401': 'EC', '420': 'C', '421': 'C', '422': 'C', '423': 'C', '424': 'C', '426': 'EC', '427': 'EC',
	// Indiana: the northwest (Chicago area) and southwest (Evansville area) corners.
	'463': 'C', '464': 'C', '465': 'EC', '469': 'EC', '475': 'EC', '476': 'C', '477': 'C', '479': 'EC',
	// Michigan: the four Upper Peninsula counties on the Wisconsin line.
	'498': 'EC', '499': 'EC',
	// North Dakota: the southwest.
	'585': 'CM', '586': 'MC', '588': 'CM',
	// South Dakota: west river.
	'575': 'CM', '576': 'CM', '577': 'M',
	// Nebraska: the panhandle and the southwest.
	'690': 'CM', '691': 'CM', '692': 'CM', '693': 'M',
	// Kansas: Sherman, Wallace, Greeley and Hamilton counties.
	'677': 'CM', '678': 'CM',
	// Oregon: Malheur County.
	'979': 'MP',
	// Idaho: the panhandle, north of the Salmon River.
	'835': 'PM', '838': 'P',
	// Arizona: the Navajo Nation keeps daylight time, the rest of Arizona does not.
	'860': 'AM', '865': 'MA'
};

function zips(list: string, zone: string): Record<string, string> {
	return Object.fromEntries(list.split(/\s+/).filter(Boolean).map((z) => [z, zone]));
}

/** Individual zips, where we are confident; they win over their prefix. */
export const ZIP5_ZONES: Readonly<Record<string, string>> = {
	// FL: Port St. Joe, Gulf County, is Eastern though its prefix is Central.
	...zips('32456 32457', 'E'),
	// TX 798: El Paso and Hudspeth counties vs. the Big Bend counties.
	...zips('79821 79835 79836 79837 79838 79839 79847 79849 79851 79853', 'M'),
	...zips('79830 79831 79832 79834 79842 79843 79845 79846 79848 79852 79854 79855', 'C'),
	// TN 373: Grundy, Franklin, Coffee, Marion, Sequatchie, Bledsoe, Warren, Lincoln, Moore, Bedford.
	...zips(`37301 37305 37306 37313 37318 37324 37327 37328 37330 37334 37335 37339 37340 37342 37345 37347 37348
		37349 37352 37355 37356 37357 37359 37360 37365 37366 37367 37374 37375 37376 37378 37380 37382 37383 37387
		37388 37389 37394 37396 37397 37398`, 'C'),
	// TN 373: Hamilton, Bradley, McMinn, Polk, Meigs, Rhea, Monroe.
	...zips(`37302 37303 37307 37308 37309 37310 37311 37312 37315 37316 37317 37320 37321 37322 37323 37325 37326
		37329 37331 37332 37333 37336 37337 37341 37343 37350 37351 37353 37354 37361 37362 37363 37364 37369 37370
		37371 37373 37377 37379 37381 37384 37385 37391`, 'E'),
	// TN 377: Crab Orchard, Cumberland County.
	...zips('37723', 'C'),
	// KY 401, 426, 427.
	...zips('40108 40121 40159 40160 40165 40175 42633 42653 42701 42718 42748', 'E'),
	...zips('40111 40119 40143 40146 42602 42629 42642 42717 42728 42743 42749 42754 42765', 'C'),
	// IN 465, 469, 475, 479: Starke, Perry, Spencer, Newton and Jasper counties are Central.
	...zips('46532 46534 46968 47514 47515 47520 47537 47552 47577 47579 47586 47588 47922 47943 47948 47951 47963 47964 47977 47978', 'C'),
	...zips('46514 46516 46517 46526 46528 46544 46545 46550 46563 46580 46582 46901 46947 46970 46992 46996 47501 47532 47542 47546 47567 47591 47901 47904 47905 47906 47909', 'E'),
	// MI UP: Gogebic, Iron, Dickinson, Menominee counties are Central.
	...zips(`49801 49802 49812 49815 49821 49831 49834 49845 49847 49848 49852 49858 49863 49870 49873 49874 49876
		49877 49881 49886 49887 49892 49893 49896 49902 49903 49911 49915 49920 49927 49935 49938 49947 49959 49964
		49968 49969`, 'C'),
	...zips('49829 49849 49855 49866 49913 49930 49931 49946 49953', 'E'),
	// ND: Bismarck–Mandan, Morton and Mercer counties are Central; the southwest Mountain.
	...zips('58501 58502 58503 58504 58505 58506 58507 58520 58523 58535 58545 58554 58563 58631 58638 58801 58802 58803', 'C'),
	...zips('58528 58529 58533 58538 58562 58568 58569 58570 58601 58602 58621 58622 58623 58639 58645 58646 58652 58655 58656', 'M'),
	// SD 575, 576.
	...zips('57501 57555 57579 57580 57601 57632 57646 57648', 'C'),
	...zips('57521 57532 57543 57547 57551 57552 57553 57567 57625 57636 57638 57641 57656', 'M'),
	// NE 690, 691, 692.
	...zips('69001 69101 69165 69201', 'C'),
	...zips('69021 69023 69027 69030 69033 69037 69041 69045 69122 69129 69140 69153 69154 69155', 'M'),
	// KS 677, 678.
	...zips('67701 67748 67801 67846 67855 67861 67871 67880', 'C'),
	...zips('67733 67735 67741 67758 67761 67762 67836 67857 67878 67879', 'M'),
	// OR: Ontario, Nyssa, Vale, Adrian (Malheur); Huntington (Baker County) keeps Mountain time informally.
	...zips('97901 97913 97914 97918', 'M'),
	...zips('97907', 'MP'),
	// ID: Lewiston and Grangeville are Pacific; Warren sits on the line.
	...zips('83501 83530', 'P'),
	...zips('83671', 'MP'),
	// AZ: Flagstaff, Page, Winslow, Holbrook, Williams and the Hopi villages keep standard time.
	...zips('86001 86002 86003 86004 86005 86011 86015 86017 86018 86022 86023 86025 86030 86039 86040 86042 86043 86046 86047', 'A'),
	// AZ: Navajo Nation communities keep daylight time.
	...zips('86033 86045 86503 86504 86505 86507 86510 86511 86514 86515 86535 86538 86545 86547 86556', 'M'),
	// AK: Adak and Atka are on Hawaii–Aleutian time.
	...zips('99546 99547', 'D'),
	// AL: Phenix City and the Chattahoochee valley towns keep Eastern time informally.
	...zips('36854 36856 36858 36860 36863 36867 36868 36869 36870 36871 36874 36875 36877', 'CE'),
	// NV: West Wendover and Jackpot keep Mountain time informally.
	...zips('89825 89883', 'PM')
};

/** Zones an NPA spans, where they differ from its state's (first = likelier). */
export const NPA_ZONES: Readonly<Record<string, string>> = {
	'850': 'CE', '448': 'CE', // FL panhandle: Pensacola/Panama City Central, Tallahassee Eastern
	'334': 'CE', // AL: Phenix City keeps Eastern informally
	'423': 'EC', // TN: Chattanooga Eastern, Marion and Bledsoe counties Central
	'931': 'C',
	'270': 'CE', '364': 'CE', '606': 'EC', // KY
	'219': 'C', '574': 'EC', '812': 'EC', '930': 'EC', // IN
	'906': 'EC', // MI UP
	'208': 'MP', '986': 'MP', // ID
	'541': 'PM', '458': 'PM', // OR: Malheur County
	'915': 'M', // TX: El Paso
	'701': 'CM', '605': 'CM', '308': 'CM', '785': 'CM', '620': 'CM',
	'928': 'AM', // AZ: Navajo Nation
	'775': 'PM' // NV: West Wendover
};

/** The state of a zip by its prefix (USPS ranges), for leads with a zip and no state. */
const ZIP3_STATE: readonly [number, number, string][] = [
	[5, 5, 'NY'], [6, 7, 'PR'], [8, 8, 'VI'], [9, 9, 'PR'], [10, 27, 'MA'], [28, 29, 'RI'], [30, 38, 'NH'],
	[39, 49, 'ME'], [50, 54, 'VT'], [55, 55, 'MA'], [56, 59, 'VT'], [60, 69, 'CT'], [70, 89, 'NJ'], [100, 149, 'NY'],
	[150, 196, 'PA'], [197, 199, 'DE'], [200, 200, 'DC'], [201, 201, 'VA'], [202, 205, 'DC'], [206, 219, 'MD'],
	[220, 246, 'VA'], [247, 268, 'WV'], [270, 289, 'NC'], [290, 299, 'SC'], [300, 319, 'GA'], [320, 339, 'FL'],
	[341, 349, 'FL'], [350, 369, 'AL'], [370, 385, 'TN'], [386, 397, 'MS'], [398, 399, 'GA'], [400, 427, 'KY'],
	[430, 459, 'OH'], [460, 479, 'IN'], [480, 499, 'MI'], [500, 528, 'IA'], [530, 549, 'WI'], [550, 567, 'MN'],
	[569, 569, 'DC'], [570, 577, 'SD'], [580, 588, 'ND'], [590, 599, 'MT'], [600, 629, 'IL'], [630, 658, 'MO'],
	[660, 679, 'KS'], [680, 693, 'NE'], [700, 714, 'LA'], [716, 729, 'AR'], [730, 732, 'OK'], [733, 733, 'TX'],
	[734, 749, 'OK'], [750, 799, 'TX'], [800, 816, 'CO'], [820, 831, 'WY'], [832, 838, 'ID'], [840, 847, 'UT'],
	[850, 865, 'AZ'], [870, 884, 'NM'], [885, 885, 'TX'], [889, 898, 'NV'], [900, 961, 'CA'], [967, 968, 'HI'],
	[969, 969, 'GU'], [970, 979, 'OR'], [980, 994, 'WA'], [995, 999, 'AK']
];

/** The state a five-digit zip belongs to, or null (military and unassigned prefixes). */
export function zipState(zip: string): string | null {
	if (zip === '96799') return 'AS';
	if (zip === '96950' || zip === '96951' || zip === '96952') return 'MP';
	const p = Number(zip.slice(0, 3));
	for (const [from, to, state] of ZIP3_STATE) if (p >= from && p <= to) return state;
	return null;
}
