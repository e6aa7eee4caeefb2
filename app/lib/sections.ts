import type { IconName } from '$lib/components/Icon.svelte';

/** A top-level area of a workspace: one entry drives the nav, the home cards and titles. */
export interface Section {
	/** Path inside the workspace: '' for its home, 'leads' for /w/<slug>/leads. */
	path: string;
	label: string;
	icon: IconName;
	/** Which part of the work it belongs to; the sidebar groups by this. */
	group: 'Workspace' | 'Outreach' | 'Content' | 'Operations';
	/** One sentence on what the section is for, shown on the home page. */
	summary: string;
}

export const home: Section = {
	path: '',
	label: 'Home',
	icon: 'home',
	group: 'Workspace',
	summary: 'An overview of the workspace and where to start.'
};

export const sections: Section[] = [
	{
		path: 'leads',
		label: 'Leads',
		icon: 'leads',
		group: 'Outreach',
		summary:
			'Import lead lists from CSV, with phones normalised, duplicates merged and every source row kept.'
	},
	{
		path: 'campaigns',
		label: 'Campaigns',
		icon: 'campaigns',
		group: 'Outreach',
		summary:
			'Build SMS and MMS sequences together in a live editor, then dry-run them before anything is sent.'
	},
	{
		path: 'crusades',
		label: 'Crusades',
		icon: 'crusades',
		group: 'Outreach',
		summary:
			'Group campaigns and send them on a schedule, within quiet hours, throttles and daily caps.'
	},
	{
		path: 'numbers',
		label: 'Numbers',
		icon: 'numbers',
		group: 'Outreach',
		summary:
			'The sender numbers campaigns text from: 10DLC brand and campaign, status and daily cap, imported from CSV.'
	},
	{
		path: 'calendar',
		label: 'Calendar',
		icon: 'calendar',
		group: 'Content',
		summary:
			'Plan social posts by month or week, generate captions and images, and approve before publishing.'
	},
	{
		path: 'activity',
		label: 'Activity',
		icon: 'activity',
		group: 'Operations',
		summary:
			'Watch sends, replies and background jobs live, with progress, logs and the reason for any failure.'
	}
];

/** Pages about the workspace itself rather than its work; some need a role to see. */
export const adminSections: (Section & { needs: 'members.view' | 'workspace.rename' | 'audit.view' })[] = [
	{
		path: 'members',
		label: 'Members',
		icon: 'members',
		group: 'Workspace',
		needs: 'members.view',
		summary: 'Who is in this workspace, their roles, and invitations.'
	},
	{
		path: 'settings',
		label: 'Workspace settings',
		icon: 'settings',
		group: 'Workspace',
		needs: 'workspace.rename',
		summary: 'Rename or delete the workspace.'
	},
	{
		path: 'audit',
		label: 'Audit log',
		icon: 'audit',
		group: 'Workspace',
		needs: 'audit.view',
		summary: 'Every sign-in, change of role and setting, with who did it and from where.'
	}
];

/** Home first, then every section: the order of the navigation. */
export const navigation: Section[] = [home, ...sections];

/** The URL of a section in the workspace with this slug. */
export function hrefFor(section: Section, slug: string): string {
	return section.path ? `/w/${slug}/${section.path}` : `/w/${slug}`;
}

/** The part of a pathname after /w/<slug>, without slashes ('' for the workspace home), or null outside a workspace. */
export function workspacePath(pathname: string): string | null {
	const match = /^\/w\/[^/]+\/?(.*)$/.exec(pathname);
	return match ? (match[1] ?? '').replace(/\/+$/, '') : null;
}

export function isActive(section: Section, pathname: string): boolean {
	const rest = workspacePath(pathname);
	if (rest === null) return false;
	if (section.path === '') return rest === '';
	return rest === section.path || rest.startsWith(`${section.path}/`);
}

export function sectionFor(pathname: string): Section | undefined {
	return [...navigation, ...adminSections].find((section) => isActive(section, pathname));
}

/** The section at this path; throws at import time if a page names one that is missing. */
export function section(path: string): Section {
	const found = navigation.find((s) => s.path === path);
	if (!found) throw new Error(`No section at ${path}`);
	return found;
}
