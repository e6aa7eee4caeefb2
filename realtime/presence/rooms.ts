/** Socket.IO room names (P2): one per workspace, one per place inside it. */
export function workspaceRoom(workspaceId: string): string {
	return `ws:${workspaceId}`;
}

/** The workspace a `ws:` room is for; null for any other room. */
export function workspaceOfRoom(room: string): string | null {
	return room.startsWith('ws:') ? room.slice(3) : null;
}

/** Scoped by workspace, so the same page path in two workspaces is two rooms. */
export function locationRoom(workspaceId: string, location: string): string {
	return `loc:${workspaceId}:${location}`;
}

export function isPresenceRoom(room: string): boolean {
	return room.startsWith('ws:') || room.startsWith('loc:');
}
