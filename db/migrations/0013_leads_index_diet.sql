ALTER TABLE "lead_facts" DROP CONSTRAINT "lead_facts_lead_id_leads_id_fk";
--> statement-breakpoint
ALTER TABLE "lead_phones" DROP CONSTRAINT "lead_phones_lead_id_leads_id_fk";
--> statement-breakpoint
ALTER TABLE "lead_sources" DROP CONSTRAINT "lead_sources_lead_id_leads_id_fk";
--> statement-breakpoint
ALTER TABLE "lead_sources" DROP CONSTRAINT "lead_sources_source_row_id_source_rows_id_fk";
--> statement-breakpoint
DROP INDEX "leads_full_name_trgm_idx";--> statement-breakpoint
DROP INDEX "leads_street_trgm_idx";--> statement-breakpoint
DROP INDEX "leads_name_address_idx";--> statement-breakpoint
DROP INDEX "leads_tags_idx";--> statement-breakpoint
CREATE INDEX "leads_search_idx" ON "leads" USING gin (to_tsvector('simple'::regconfig, "full_name" || ' ' || coalesce("street", '')));--> statement-breakpoint
CREATE INDEX "leads_name_address_idx" ON "leads" USING hash ("name_address_key");--> statement-breakpoint
CREATE INDEX "leads_tags_idx" ON "leads" USING gin ("tags") WHERE "leads"."tags" <> '{}'::text[];--> statement-breakpoint
-- lead_phones, lead_sources and lead_facts lost their foreign keys (a per-row check and parent
-- lock on ~5 rows per imported file row); deletes still cascade to them, set-wise, here.
CREATE FUNCTION leads_delete_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM lead_phones p USING gone g WHERE p.lead_id = g.id;
	DELETE FROM lead_sources s USING gone g WHERE s.lead_id = g.id;
	DELETE FROM lead_facts f USING gone g WHERE f.lead_id = g.id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER leads_delete_children AFTER DELETE ON leads REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION leads_delete_children();--> statement-breakpoint
CREATE FUNCTION source_rows_delete_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM lead_sources s USING gone g WHERE s.source_row_id = g.id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER source_rows_delete_links AFTER DELETE ON source_rows REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION source_rows_delete_links();
