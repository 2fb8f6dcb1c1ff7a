CREATE TABLE "leases" (
	"kind" text NOT NULL,
	"account_id" bigint NOT NULL,
	"instance" text NOT NULL,
	"amount" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "leases_kind_account_id_instance_pk" PRIMARY KEY("kind","account_id","instance"),
	CONSTRAINT "leases_amount_not_negative" CHECK ("leases"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_batches" (
	"instance" text NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_batches_instance_seq_pk" PRIMARY KEY("instance","seq")
);
--> statement-breakpoint
CREATE INDEX "leases_expires" ON "leases" USING btree ("expires_at");