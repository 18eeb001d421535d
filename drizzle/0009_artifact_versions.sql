ALTER TABLE "artifacts" ADD COLUMN "project_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "version" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "digest" text NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "uri" text;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "artifacts_version_idx" ON "artifacts" USING btree ("project_id","name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "artifacts_digest_idx" ON "artifacts" USING btree ("project_id","name","digest");