import type { IconName } from '$lib/components/Icon.svelte';

/** A top-level area of the console: one entry drives the nav, the home cards and titles. */
export interface Section {
	href: string;
	label: string;
	icon: IconName;
	/** Which part of the work it belongs to; the sidebar groups by this. */
	group: 'Workspace' | 'Outreach' | 'Content' | 'Operations';
	/** One sentence on what the section is for, shown on the home page. */
	summary: string;
}

export const home: Section = {
	href: '/',
	label: 'Home',
	icon: 'home',
	group: 'Workspace',
	summary: 'An overview of the workspace and where to start.'
};

export const sections: Section[] = [
	{
		href: '/leads',
		label: 'Leads',
		icon: 'leads',
		group: 'Outreach',
		summary:
			'Import lead lists from CSV, with phones normalised, duplicates merged and every source row kept.'
	},
	{
		href: '/campaigns',
		label: 'Campaigns',
		icon: 'campaigns',
		group: 'Outreach',
		summary:
			'Build SMS and MMS sequences together in a live editor, then dry-run them before anything is sent.'
	},
	{
		href: '/crusades',
		label: 'Crusades',
		icon: 'crusades',
		group: 'Outreach',
		summary:
			'Group campaigns and send them on a schedule, within quiet hours, throttles and daily caps.'
	},
	{
		href: '/calendar',
		label: 'Calendar',
		icon: 'calendar',
		group: 'Content',
		summary:
			'Plan social posts by month or week, generate captions and images, and approve before publishing.'
	},
	{
		href: '/activity',
		label: 'Activity',
		icon: 'activity',
		group: 'Operations',
		summary:
			'Watch sends, replies and background jobs live, with progress, logs and the reason for any failure.'
	}
];

/** Home first, then every section: the order of the navigation. */
export const navigation: Section[] = [home, ...sections];

export function isActive(section: Section, pathname: string): boolean {
	if (section.href === '/') return pathname === '/';
	return pathname === section.href || pathname.startsWith(`${section.href}/`);
}

export function sectionFor(pathname: string): Section | undefined {
	return navigation.find((section) => isActive(section, pathname));
}

/** The section with this href; throws at import time if a page names one that is missing. */
export function section(href: string): Section {
	const found = navigation.find((s) => s.href === href);
	if (!found) throw new Error(`No section at ${href}`);
	return found;
}
