CREATE TABLE "job_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"job_id" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_events_job_idx" ON "job_events" USING btree ("queue","job_id","id");--> statement-breakpoint
CREATE INDEX "job_events_expires_idx" ON "job_events" USING btree ("expires_at");