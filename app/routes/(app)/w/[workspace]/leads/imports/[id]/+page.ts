import { error } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { errorMessage } from '$lib/errors';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, params, depends }) => {
	depends('leads:import');
	const { workspace, permissions } = await parent();
	if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Page not found');
	const api = trpcWith(fetch);
	const input = { workspaceId: workspace.id, importId: params.id };
	let detail;
	try {
		detail = await api.imports.get.query(input);
	} catch (e) {
		if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND') error(404, 'Page not found');
		throw e;
	}
	// A file that has not started is inspected for the setup steps; a file that cannot be read says why.
	let inspection = null;
	let inspectError: string | null = null;
	if (detail.status === 'uploaded' && permissions['content.edit']) {
		try {
			inspection = await api.imports.inspect.query({ ...input, encoding: detail.encoding as never, delimiter: detail.delimiter as never });
		} catch (e) {
			inspectError = errorMessage(e);
		}
	}
	return { detail, inspection, inspectError };
};
