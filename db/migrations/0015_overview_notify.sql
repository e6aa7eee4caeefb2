-- The live grid (workspace overview) hears about changes from the database that committed
-- them: every table the grid shows announces `<workspace_id>:<stage>` on the channel
-- `muster_overview` (NOTIFY is sent at commit, never for a rolled-back transaction, and
-- identical payloads in one transaction are sent once). Whatever process writes (a tRPC
-- mutation, a document projection, a worker), nothing can forget to announce it.
-- Hot paths stay quiet: imports and dry-runs announce status changes only, not progress.
CREATE OR REPLACE FUNCTION overview_notify_row() RETURNS trigger AS $$
DECLARE
	ws uuid;
BEGIN
	IF TG_OP = 'DELETE' THEN ws := OLD.workspace_id; ELSE ws := NEW.workspace_id; END IF;
	PERFORM pg_notify('muster_overview', ws::text || ':' || TG_ARGV[0]);
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- An import that ends has changed the leads, so audience sizes too (`leads`).
CREATE OR REPLACE FUNCTION overview_notify_import() RETURNS trigger AS $$
DECLARE
	ws uuid;
BEGIN
	IF TG_OP = 'DELETE' THEN ws := OLD.workspace_id; ELSE ws := NEW.workspace_id; END IF;
	PERFORM pg_notify('muster_overview', ws::text || ':files');
	IF TG_OP = 'UPDATE' AND NEW.status IN ('completed', 'failed', 'cancelled') THEN
		PERFORM pg_notify('muster_overview', ws::text || ':leads');
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Statement level for bulk writers (a CSV of 10,000 numbers is one announcement).
CREATE OR REPLACE FUNCTION overview_notify_rows() RETURNS trigger AS $$
BEGIN
	PERFORM pg_notify('muster_overview', w.workspace_id::text || ':' || TG_ARGV[0]) FROM (SELECT DISTINCT workspace_id FROM changed) w;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER lead_imports_overview AFTER INSERT OR DELETE ON lead_imports
	FOR EACH ROW EXECUTE FUNCTION overview_notify_import();
--> statement-breakpoint
CREATE TRIGGER lead_imports_overview_status AFTER UPDATE ON lead_imports
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.file_name IS DISTINCT FROM NEW.file_name)
	EXECUTE FUNCTION overview_notify_import();
--> statement-breakpoint
CREATE TRIGGER campaigns_overview AFTER INSERT OR DELETE ON campaigns
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('campaigns');
--> statement-breakpoint
-- A projection rewrites the row after every saved batch; only a real difference counts.
CREATE TRIGGER campaigns_overview_change AFTER UPDATE ON campaigns
	FOR EACH ROW WHEN ((to_jsonb(OLD) - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'updated_at'))
	EXECUTE FUNCTION overview_notify_row('campaigns');
--> statement-breakpoint
CREATE TRIGGER campaign_versions_overview AFTER INSERT ON campaign_versions
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('campaigns');
--> statement-breakpoint
CREATE TRIGGER saved_filters_overview AFTER UPDATE OR DELETE ON saved_filters
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('campaigns');
--> statement-breakpoint
CREATE TRIGGER sender_numbers_overview_insert AFTER INSERT ON sender_numbers
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION overview_notify_rows('numbers');
--> statement-breakpoint
CREATE TRIGGER sender_numbers_overview_update AFTER UPDATE ON sender_numbers
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION overview_notify_rows('numbers');
--> statement-breakpoint
CREATE TRIGGER sender_numbers_overview_delete AFTER DELETE ON sender_numbers
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION overview_notify_rows('numbers');
--> statement-breakpoint
CREATE TRIGGER crusades_overview AFTER INSERT OR DELETE ON crusades
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('crusades');
--> statement-breakpoint
CREATE TRIGGER crusades_overview_change AFTER UPDATE ON crusades
	FOR EACH ROW WHEN ((to_jsonb(OLD) - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'updated_at'))
	EXECUTE FUNCTION overview_notify_row('crusades');
--> statement-breakpoint
CREATE TRIGGER crusade_versions_overview AFTER INSERT ON crusade_versions
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('crusades');
--> statement-breakpoint
CREATE TRIGGER dry_runs_overview AFTER INSERT OR DELETE ON dry_runs
	FOR EACH ROW EXECUTE FUNCTION overview_notify_row('crusades');
--> statement-breakpoint
CREATE TRIGGER dry_runs_overview_status AFTER UPDATE ON dry_runs
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION overview_notify_row('crusades');
