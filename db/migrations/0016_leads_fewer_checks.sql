ALTER TABLE "leads" DROP CONSTRAINT "leads_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "source_rows" DROP CONSTRAINT "source_rows_import_id_lead_imports_id_fk";
--> statement-breakpoint
DROP INDEX "lead_phones_area_idx";--> statement-breakpoint
-- leads and source_rows lost their foreign keys to workspaces and lead_imports (a per-row
-- check and parent lock on every lead and source row an import writes); deletes still
-- cascade to them, set-wise, here (and on to their children through migration 0013's triggers).
CREATE FUNCTION workspaces_delete_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM leads l USING gone g WHERE l.workspace_id = g.id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER workspaces_delete_leads AFTER DELETE ON workspaces REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION workspaces_delete_leads();--> statement-breakpoint
CREATE FUNCTION lead_imports_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM source_rows r USING gone g WHERE r.import_id = g.id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER lead_imports_delete_rows AFTER DELETE ON lead_imports REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION lead_imports_delete_rows();
