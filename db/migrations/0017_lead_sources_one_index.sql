DROP INDEX "lead_sources_row_idx";--> statement-breakpoint
DROP INDEX "lead_sources_import_idx";--> statement-breakpoint
CREATE INDEX "lead_sources_import_row_idx" ON "lead_sources" USING btree ("import_id","source_row_id");--> statement-breakpoint
-- Source rows go only with their import: their links are found by import and row.
CREATE OR REPLACE FUNCTION source_rows_delete_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM lead_sources s USING gone g WHERE s.import_id = g.import_id AND s.source_row_id = g.id;
	RETURN NULL;
END $$;
