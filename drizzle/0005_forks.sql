ALTER TABLE "runs" ADD COLUMN "forked_from_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "fork_step" bigint;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_forked_from_id_runs_id_fk" FOREIGN KEY ("forked_from_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_forked_from_idx" ON "runs" USING btree ("forked_from_id");