CREATE TABLE "run_table_rows" (
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"step" bigint NOT NULL,
	"idx" integer NOT NULL,
	"cells" jsonb NOT NULL,
	CONSTRAINT "run_table_rows_run_id_key_step_idx_pk" PRIMARY KEY("run_id","key","step","idx")
);
--> statement-breakpoint
CREATE TABLE "run_tables" (
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"step" bigint NOT NULL,
	"columns" text[] NOT NULL,
	"row_count" integer NOT NULL,
	"digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_tables_run_id_key_step_pk" PRIMARY KEY("run_id","key","step")
);
--> statement-breakpoint
ALTER TABLE "run_table_rows" ADD CONSTRAINT "run_table_rows_run_id_key_step_run_tables_run_id_key_step_fk" FOREIGN KEY ("run_id","key","step") REFERENCES "public"."run_tables"("run_id","key","step") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tables" ADD CONSTRAINT "run_tables_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;