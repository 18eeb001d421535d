CREATE TABLE "rewound_points" (
	"run_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"key" text NOT NULL,
	"step" bigint NOT NULL,
	"wall_time" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "rewound_points_run_id_attempt_key_step_pk" PRIMARY KEY("run_id","attempt","key","step")
);
--> statement-breakpoint
CREATE TABLE "run_attempts" (
	"run_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" "run_status" DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"host" text,
	"reason" text,
	CONSTRAINT "run_attempts_run_id_number_pk" PRIMARY KEY("run_id","number")
);
--> statement-breakpoint
DROP INDEX "log_lines_run_seq_idx";--> statement-breakpoint
ALTER TABLE "log_lines" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rewound_points" ADD CONSTRAINT "rewound_points_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_attempts" ADD CONSTRAINT "run_attempts_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "log_lines_run_attempt_seq_idx" ON "log_lines" USING btree ("run_id","attempt","seq");--> statement-breakpoint
CREATE INDEX "runs_running_heartbeat_idx" ON "runs" USING btree ("heartbeat_at") WHERE status = 'running';--> statement-breakpoint
-- Hand-written backfill (keep when regenerating): a run that started before attempts were recorded had one.
INSERT INTO "run_attempts" ("run_id", "number", "status", "started_at", "finished_at", "host")
SELECT "id", 1, "status", "started_at", "finished_at", "host" FROM "runs" WHERE "started_at" IS NOT NULL;
