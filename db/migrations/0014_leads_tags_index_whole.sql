DROP INDEX "leads_tags_idx";--> statement-breakpoint
CREATE INDEX "leads_tags_idx" ON "leads" USING gin ("tags");