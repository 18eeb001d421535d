CREATE TABLE "metric_rollups" (
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"width" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"x_min" bigint NOT NULL,
	"x_max" bigint NOT NULL,
	"v_min" double precision NOT NULL,
	"v_max" double precision NOT NULL,
	"v_sum" double precision NOT NULL,
	"n" integer NOT NULL,
	"v_last" double precision NOT NULL,
	CONSTRAINT "metric_rollups_run_id_key_width_bucket_pk" PRIMARY KEY("run_id","key","width","bucket")
);
--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;