CREATE TABLE "campaign_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"hash" text NOT NULL,
	"content" jsonb NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"vertical" text,
	"channel" text,
	"audience_filter_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"draft_hash" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crusade_campaigns" (
	"crusade_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "crusade_campaigns_crusade_id_campaign_id_pk" PRIMARY KEY("crusade_id","campaign_id")
);
--> statement-breakpoint
CREATE TABLE "crusade_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crusade_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"hash" text NOT NULL,
	"content" jsonb NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crusades" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"schedule" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"draft_hash" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_audience_filter_id_saved_filters_id_fk" FOREIGN KEY ("audience_filter_id") REFERENCES "public"."saved_filters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crusade_campaigns" ADD CONSTRAINT "crusade_campaigns_crusade_id_crusades_id_fk" FOREIGN KEY ("crusade_id") REFERENCES "public"."crusades"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crusade_campaigns" ADD CONSTRAINT "crusade_campaigns_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crusades" ADD CONSTRAINT "crusades_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crusades" ADD CONSTRAINT "crusades_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_versions_number_idx" ON "campaign_versions" USING btree ("campaign_id","number");--> statement-breakpoint
CREATE INDEX "campaigns_workspace_idx" ON "campaigns" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "crusade_campaigns_campaign_idx" ON "crusade_campaigns" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crusade_versions_number_idx" ON "crusade_versions" USING btree ("crusade_id","number");--> statement-breakpoint
CREATE INDEX "crusades_workspace_idx" ON "crusades" USING btree ("workspace_id","created_at");--> statement-breakpoint
-- Published versions are immutable for everyone, the application's own role included:
-- rows can be inserted and read, never changed or removed (as for the audit log, 0002).
CREATE OR REPLACE FUNCTION published_version_refuse_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION '% is immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER campaign_versions_no_update_delete BEFORE UPDATE OR DELETE ON campaign_versions
	FOR EACH ROW EXECUTE FUNCTION published_version_refuse_change();
--> statement-breakpoint
CREATE TRIGGER campaign_versions_no_truncate BEFORE TRUNCATE ON campaign_versions
	FOR EACH STATEMENT EXECUTE FUNCTION published_version_refuse_change();
--> statement-breakpoint
CREATE TRIGGER crusade_versions_no_update_delete BEFORE UPDATE OR DELETE ON crusade_versions
	FOR EACH ROW EXECUTE FUNCTION published_version_refuse_change();
--> statement-breakpoint
CREATE TRIGGER crusade_versions_no_truncate BEFORE TRUNCATE ON crusade_versions
	FOR EACH STATEMENT EXECUTE FUNCTION published_version_refuse_change();
