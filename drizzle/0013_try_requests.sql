CREATE TYPE "public"."try_kind" AS ENUM('generate', 'classify');--> statement-breakpoint
CREATE TYPE "public"."try_status" AS ENUM('queued', 'running', 'finished', 'failed');--> statement-breakpoint
CREATE TABLE "try_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"user_id" uuid,
	"artifact_id" uuid NOT NULL,
	"run_id" uuid,
	"kind" "try_kind" NOT NULL,
	"status" "try_status" DEFAULT 'queued' NOT NULL,
	"input" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"output" text DEFAULT '' NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"probabilities" jsonb,
	"finish_reason" text,
	"error" text,
	"host" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"first_token_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "try_requests_tokens_check" CHECK ("try_requests"."tokens" >= 0)
);
--> statement-breakpoint
ALTER TABLE "try_requests" ADD CONSTRAINT "try_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "try_requests" ADD CONSTRAINT "try_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "try_requests" ADD CONSTRAINT "try_requests_artifact_id_artifacts_id_fk" FOREIGN KEY ("artifact_id") REFERENCES "public"."artifacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "try_requests" ADD CONSTRAINT "try_requests_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "try_requests_user_time_idx" ON "try_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "try_requests_run_idx" ON "try_requests" USING btree ("run_id","created_at");--> statement-breakpoint
CREATE INDEX "try_requests_artifact_idx" ON "try_requests" USING btree ("artifact_id","created_at");