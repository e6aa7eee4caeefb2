CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "column_mappings" (
	"workspace_id" uuid NOT NULL,
	"signature" text NOT NULL,
	"name" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "column_mappings_workspace_id_signature_pk" PRIMARY KEY("workspace_id","signature")
);
--> statement-breakpoint
CREATE TABLE "dnc_entries" (
	"workspace_id" uuid NOT NULL,
	"e164" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dnc_entries_workspace_id_e164_pk" PRIMARY KEY("workspace_id","e164")
);
--> statement-breakpoint
CREATE TABLE "lead_facts" (
	"lead_id" uuid NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"source_row_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_facts_lead_id_field_value_pk" PRIMARY KEY("lead_id","field","value")
);
--> statement-breakpoint
CREATE TABLE "lead_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_size" bigint NOT NULL,
	"upload_id" text NOT NULL,
	"sha256" text,
	"status" text DEFAULT 'uploading' NOT NULL,
	"encoding" text,
	"delimiter" text,
	"headers" jsonb,
	"parser" text,
	"mapping" jsonb,
	"consent_basis" text DEFAULT 'none' NOT NULL,
	"consent_source" text,
	"consent_collected_at" timestamp with time zone,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"leads_created" integer DEFAULT 0 NOT NULL,
	"leads_merged" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"resume_offset" bigint DEFAULT 0 NOT NULL,
	"resume_row" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lead_phones" (
	"workspace_id" uuid NOT NULL,
	"e164" text NOT NULL,
	"lead_id" uuid NOT NULL,
	"type" text DEFAULT 'unknown' NOT NULL,
	"area_code" text,
	"source_row_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_phones_workspace_id_e164_pk" PRIMARY KEY("workspace_id","e164")
);
--> statement-breakpoint
CREATE TABLE "lead_sources" (
	"lead_id" uuid NOT NULL,
	"source_row_id" bigint NOT NULL,
	"import_id" uuid NOT NULL,
	"consent_basis" text NOT NULL,
	"created" boolean NOT NULL,
	CONSTRAINT "lead_sources_lead_id_source_row_id_pk" PRIMARY KEY("lead_id","source_row_id")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"first_name" text,
	"last_name" text,
	"full_name" text DEFAULT '' NOT NULL,
	"name_address_key" text,
	"email" text,
	"street" text,
	"city" text,
	"state" text,
	"zip" text,
	"time_zone" text,
	"mailing" jsonb,
	"property_value" numeric(14, 2),
	"equity" numeric(14, 2),
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"consent_basis" text DEFAULT 'none' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_rows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"fields" text[] NOT NULL,
	"reject_reason" text
);
--> statement-breakpoint
ALTER TABLE "column_mappings" ADD CONSTRAINT "column_mappings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dnc_entries" ADD CONSTRAINT "dnc_entries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dnc_entries" ADD CONSTRAINT "dnc_entries_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_facts" ADD CONSTRAINT "lead_facts_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_phones" ADD CONSTRAINT "lead_phones_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sources" ADD CONSTRAINT "lead_sources_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sources" ADD CONSTRAINT "lead_sources_source_row_id_source_rows_id_fk" FOREIGN KEY ("source_row_id") REFERENCES "public"."source_rows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_rows" ADD CONSTRAINT "source_rows_import_id_lead_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."lead_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_imports_workspace_idx" ON "lead_imports" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_imports_upload_idx" ON "lead_imports" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "lead_phones_lead_idx" ON "lead_phones" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "lead_phones_area_idx" ON "lead_phones" USING btree ("workspace_id","area_code");--> statement-breakpoint
CREATE INDEX "lead_sources_row_idx" ON "lead_sources" USING btree ("source_row_id");--> statement-breakpoint
CREATE INDEX "lead_sources_import_idx" ON "lead_sources" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "leads_workspace_created_idx" ON "leads" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "leads_name_address_idx" ON "leads" USING btree ("workspace_id","name_address_key");--> statement-breakpoint
CREATE INDEX "leads_state_idx" ON "leads" USING btree ("workspace_id","state","id");--> statement-breakpoint
CREATE INDEX "leads_zip_idx" ON "leads" USING btree ("workspace_id","zip");--> statement-breakpoint
CREATE INDEX "leads_tags_idx" ON "leads" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "leads_full_name_trgm_idx" ON "leads" USING gin ("full_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_street_trgm_idx" ON "leads" USING gin ("street" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "saved_filters_name_idx" ON "saved_filters" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "source_rows_import_row_idx" ON "source_rows" USING btree ("import_id","row_number");