-- Dry-run results become a table partitioned by run: each run writes its rows with COPY into a
-- table of its own with no index (random lead ids made every row a random B-tree insert into
-- one shared primary key, the largest cost of a million-lead run), builds that table's key in
-- one sort, then attaches it. Readers are unchanged (`where run_id = …` prunes to one table);
-- a cancelled or failed run drops its table instead of deleting a million rows.
ALTER TABLE "dry_run_results" RENAME TO "dry_run_results_legacy";--> statement-breakpoint
ALTER TABLE "dry_run_results_legacy" RENAME CONSTRAINT "dry_run_results_run_id_lead_id_pk" TO "dry_run_results_legacy_pk";--> statement-breakpoint
ALTER TABLE "dry_run_results_legacy" DROP CONSTRAINT "dry_run_results_run_id_dry_runs_id_fk";--> statement-breakpoint
CREATE TABLE "dry_run_results" (
	"run_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"phone" text,
	"zone" text,
	"slot_at" timestamp with time zone,
	"sender_id" text,
	"sender_e164" text,
	"variant" text,
	"segments" smallint,
	CONSTRAINT "dry_run_results_run_id_lead_id_pk" PRIMARY KEY("run_id","lead_id")
) PARTITION BY LIST ("run_id");--> statement-breakpoint
ALTER TABLE "dry_run_results" ADD CONSTRAINT "dry_run_results_run_id_dry_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."dry_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
DO $$
DECLARE
	run uuid;
	part text;
BEGIN
	FOR run IN SELECT DISTINCT run_id FROM dry_run_results_legacy LOOP
		part := 'dry_run_results_r' || replace(run::text, '-', '');
		EXECUTE format('CREATE TABLE %I PARTITION OF dry_run_results FOR VALUES IN (%L)', part, run);
		EXECUTE format('INSERT INTO %I SELECT * FROM dry_run_results_legacy WHERE run_id = %L', part, run);
	END LOOP;
END $$;--> statement-breakpoint
DROP TABLE "dry_run_results_legacy";
