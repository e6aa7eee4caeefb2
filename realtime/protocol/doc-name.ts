export { docNameSchema, parseDocName, type DocName } from '../../server/documents/names';

/** Extracts the document name from an upgrade URL such as `/yjs/brief:…?x=1`. */
export function docNameFromPath(url: string): string | null {
	const path = url.split('?')[0] ?? '';
	if (!path.startsWith('/yjs/')) return null;
	try {
		return decodeURIComponent(path.slice('/yjs/'.length));
	} catch {
		return '';
	}
}
