/**
 * A CSV download streamed from an async generator of text chunks, a page at a time, so a
 * million rows never sit in memory; the generator is closed when the client goes away.
 */
export function csvResponse(chunks: AsyncGenerator<string>, filename: string): Response {
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const next = await chunks.next();
				if (next.done) controller.close();
				else controller.enqueue(encoder.encode(next.value));
			} catch (e) {
				controller.error(e);
			}
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
}
