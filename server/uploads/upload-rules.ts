/**
 * What a lead file upload may be, as plain checks with messages written for the person
 * uploading. The tus door applies them on create; the page applies the same ones before it
 * starts, so most mistakes are caught without a request.
 */

export const ALLOWED_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;

/**
 * Content types browsers and operating systems report for delimited text. Windows reports
 * `.csv` as an Excel type even when Excel is not installed; an empty type means "unknown".
 */
const ALLOWED_TYPES = new Set([
	'',
	'text/csv',
	'text/plain',
	'text/tab-separated-values',
	'text/x-csv',
	'text/comma-separated-values',
	'application/csv',
	'application/x-csv',
	'application/vnd.ms-excel',
	'application/octet-stream'
]);

export type UploadCheck = { ok: true } | { ok: false; status: 400 | 413 | 415; message: string };

/** "2 GB", "512 MB": sizes in the units people read. */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const rounded = unit === 0 ? String(value) : value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
	return `${rounded} ${units[unit]}`;
}

export function extensionOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function checkFileName(fileName: string): UploadCheck {
	const name = fileName.trim();
	if (!name) return { ok: false, status: 400, message: 'The upload has no file name.' };
	if (name.length > 255) return { ok: false, status: 400, message: 'The file name is longer than 255 characters; rename the file and try again.' };
	const ext = extensionOf(name);
	if (ext === 'xlsx' || ext === 'xls' || ext === 'ods' || ext === 'numbers') {
		return { ok: false, status: 415, message: `${name} is a spreadsheet workbook. Save it as CSV (comma-separated) and upload that.` };
	}
	if (ext === 'zip' || ext === 'gz' || ext === '7z' || ext === 'rar') {
		return { ok: false, status: 415, message: `${name} is compressed. Unpack it and upload the CSV inside.` };
	}
	if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(ext)) {
		return { ok: false, status: 415, message: `${name} is not a CSV file. Upload a .csv, .tsv or .txt file.` };
	}
	return { ok: true };
}

export function checkFileType(fileName: string, contentType: string): UploadCheck {
	const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
	if (ALLOWED_TYPES.has(type)) return { ok: true };
	return { ok: false, status: 415, message: `${fileName.trim() || 'This file'} is ${type}, not CSV text. Upload a .csv, .tsv or .txt file.` };
}

export function checkFileSize(size: number | null, maxBytes: number): UploadCheck {
	if (size === null || !Number.isFinite(size)) {
		return { ok: false, status: 400, message: 'The upload must say how large the file is (Upload-Length).' };
	}
	if (size <= 0) return { ok: false, status: 400, message: 'The file is empty. Choose a CSV file with a header row and at least one lead.' };
	if (size > maxBytes) {
		return { ok: false, status: 413, message: `The file is ${formatBytes(size)}; files may be at most ${formatBytes(maxBytes)}. Split it into smaller files.` };
	}
	return { ok: true };
}

export function checkUpload(file: { name: string; type: string; size: number | null }, maxBytes: number): UploadCheck {
	for (const check of [checkFileName(file.name), checkFileType(file.name, file.type), checkFileSize(file.size, maxBytes)]) {
		if (!check.ok) return check;
	}
	return { ok: true };
}
