/**
 * Deterministic avatars: a 5×5 mirror-symmetric identicon coloured from a hash of the user
 * id, so the same person looks the same everywhere without storing or fetching an image.
 */

/** FNV-1a, 32-bit: small, fast and stable across runtimes. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

export interface AvatarDesign {
	hue: number;
	/** Filled cells of the 5×5 grid, as [column, row]. */
	cells: [number, number][];
}

export function avatarDesign(id: string): AvatarDesign {
	const h = hash(id);
	const bits = hash(`${id}:cells`);
	const cells: [number, number][] = [];
	// Fifteen bits pick the left three columns; columns 3 and 4 mirror 1 and 0.
	for (let row = 0; row < 5; row++) {
		for (let col = 0; col < 3; col++) {
			if ((bits >>> (row * 3 + col)) & 1) {
				cells.push([col, row]);
				if (col < 2) cells.push([4 - col, row]);
			}
		}
	}
	// An empty pattern would look like a missing image: fall back to a centre block.
	if (cells.length === 0) cells.push([2, 1], [2, 2], [2, 3]);
	return { hue: h % 360, cells };
}

/** The avatar as an SVG document (light tinted tile, saturated cells: readable in both themes). */
export function avatarSvg(id: string): string {
	const { hue, cells } = avatarDesign(id);
	const rects = cells.map(([x, y]) => `<rect x="${1 + x}" y="${1 + y}" width="1" height="1"/>`).join('');
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" shape-rendering="crispEdges">` +
		`<rect width="7" height="7" fill="hsl(${hue} 70% 92%)"/>` +
		`<g fill="hsl(${hue} 60% 42%)">${rects}</g></svg>`
	);
}

/**
 * A person's colours for live cursors and selections, from the same hue as their avatar:
 * `color` carries white text (name tags) and shows on both themes; `colorLight` is a
 * translucent tint for selected text.
 */
export function personColours(id: string): { color: string; colorLight: string } {
	const { hue } = avatarDesign(id);
	return { color: `hsl(${hue} 70% 40%)`, colorLight: `hsl(${hue} 80% 55% / 0.28)` };
}

export function avatarDataUrl(id: string): string {
	return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(avatarSvg(id))}`;
}
