/** Socket.IO room names (P2): one per workspace, one per place inside it. */
export function workspaceRoom(workspaceId: string): string {
	return `ws:${workspaceId}`;
}

/** Scoped by workspace, so the same page path in two workspaces is two rooms. */
export function locationRoom(workspaceId: string, location: string): string {
	return `loc:${workspaceId}:${location}`;
}

export function isPresenceRoom(room: string): boolean {
	return room.startsWith('ws:') || room.startsWith('loc:');
}
