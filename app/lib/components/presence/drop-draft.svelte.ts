/**
 * The note being written, shared by the composer (in the top bar) and the drop layer (over
 * the page): "Pin to a spot" hands the text to the layer, which takes the next click.
 */
class DropDraft {
	text = $state('');
	/** Waiting for a click on the page to pin the note there. */
	picking = $state(false);
	/** Why the last pinned send failed, shown on the picking banner. */
	error = $state<string | null>(null);

	pick(): void {
		this.error = null;
		this.picking = true;
	}

	stopPicking(): void {
		this.picking = false;
		this.error = null;
	}

	sent(): void {
		this.text = '';
		this.stopPicking();
	}
}

export const dropDraft = new DropDraft();
