CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"sequence" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_sequence_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"payment_id" uuid,
	"link_id" uuid,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	CONSTRAINT "events_sequence_unique" UNIQUE("sequence"),
	CONSTRAINT "events_type_known" CHECK ("events"."type" in ('payment.created', 'payment.status_changed', 'payment.flagged', 'link.created', 'link.deleted', 'link.expired', 'deal.created'))
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_workspace_sequence_idx" ON "events" USING btree ("workspace_id","sequence");--> statement-breakpoint
CREATE INDEX "events_undispatched_idx" ON "events" USING btree ("sequence") WHERE "events"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "events_created_idx" ON "events" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_link_expired_once" ON "events" USING btree ("link_id",("payload"->>'expiresAt')) WHERE "events"."type" = 'link.expired';