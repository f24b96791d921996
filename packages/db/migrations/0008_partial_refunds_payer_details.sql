CREATE TYPE "public"."refund_status" AS ENUM('claimed', 'pending', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "link_mail_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"mail_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"event" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"smtp_answer" text,
	"detail" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "link_mail_events_event_known" CHECK ("link_mail_events"."event" in ('queued', 'scheduled', 'sent', 'retrying', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "link_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"recipient" text,
	"language" text,
	"personal_message" text,
	"remind_days_before" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_smtp_answer" text,
	"cancelled_reason" text,
	"sent_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_mails_workspace_id_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "link_mails_kind_known" CHECK ("link_mails"."kind" in ('link', 'reminder')),
	CONSTRAINT "link_mails_status_known" CHECK ("link_mails"."status" in ('scheduled', 'queued', 'sent', 'failed', 'cancelled')),
	CONSTRAINT "link_mails_language_known" CHECK ("link_mails"."language" in ('en', 'de', 'fr', 'es', 'nl')),
	CONSTRAINT "link_mails_remind_days_range" CHECK ("link_mails"."remind_days_before" between 1 and 365)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text,
	"status" "refund_status" DEFAULT 'claimed' NOT NULL,
	"provider_refund_reference" text,
	"request_key" text,
	"failure_code" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_payment_request_key_unique" UNIQUE("workspace_id","payment_id","request_key"),
	CONSTRAINT "refunds_amount_minor_positive" CHECK ("refunds"."amount_minor" > 0),
	CONSTRAINT "refunds_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_sequence" bigint NOT NULL,
	"payment_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_response_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_workspace_id_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "webhook_deliveries_status_known" CHECK ("webhook_deliveries"."status" in ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"response_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"event_types" text[],
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"secret_ciphertext" "bytea" NOT NULL,
	"secret_iv" "bytea" NOT NULL,
	"secret_auth_tag" "bytea" NOT NULL,
	"previous_secret_ciphertext" "bytea",
	"previous_secret_iv" "bytea",
	"previous_secret_auth_tag" "bytea",
	"previous_secret_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_workspace_id_id_unique" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "payment_links" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_links" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_email" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_phone" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "default_language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "default_reminder_days" integer;--> statement-breakpoint
ALTER TABLE "link_mail_events" ADD CONSTRAINT "link_mail_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_mail_events" ADD CONSTRAINT "link_mail_events_mail_id_fk" FOREIGN KEY ("workspace_id","mail_id") REFERENCES "public"."link_mails"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_mails" ADD CONSTRAINT "link_mails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_mails" ADD CONSTRAINT "link_mails_link_id_fk" FOREIGN KEY ("workspace_id","link_id") REFERENCES "public"."payment_links"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_fk" FOREIGN KEY ("workspace_id","payment_id") REFERENCES "public"."payments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fk" FOREIGN KEY ("workspace_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_fk" FOREIGN KEY ("workspace_id","delivery_id") REFERENCES "public"."webhook_deliveries"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_mail_events_link_idx" ON "link_mail_events" USING btree ("workspace_id","link_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "link_mails_one_reminder_per_link" ON "link_mails" USING btree ("workspace_id","link_id") WHERE "link_mails"."kind" = 'reminder';--> statement-breakpoint
CREATE INDEX "link_mails_due_idx" ON "link_mails" USING btree ("next_attempt_at") WHERE "link_mails"."status" in ('scheduled', 'queued');--> statement-breakpoint
CREATE INDEX "link_mails_link_idx" ON "link_mails" USING btree ("workspace_id","link_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_workspace_payment_idx" ON "refunds" USING btree ("workspace_id","payment_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_payment_idx" ON "webhook_deliveries" USING btree ("endpoint_id","payment_id","event_sequence") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_attempts_delivery_idx" ON "webhook_delivery_attempts" USING btree ("delivery_id","attempted_at");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_workspace_idx" ON "webhook_endpoints" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "contacts_workspace_updated_idx" ON "contacts" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "deals_workspace_updated_idx" ON "deals" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "payment_links_workspace_updated_idx" ON "payment_links" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "payments_workspace_updated_idx" ON "payments" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_external_id_unique" UNIQUE("workspace_id","external_id");--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_workspace_external_id_unique" UNIQUE("workspace_id","external_id");--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_language_known" CHECK ("contacts"."language" in ('en', 'de', 'fr', 'es', 'nl'));--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_metadata_object" CHECK (jsonb_typeof("contacts"."metadata") = 'object');--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_metadata_object" CHECK (jsonb_typeof("deals"."metadata") = 'object');--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_metadata_object" CHECK (jsonb_typeof("payment_links"."metadata") = 'object');--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_metadata_object" CHECK (jsonb_typeof("payments"."metadata") = 'object');--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_default_language_known" CHECK ("workspaces"."default_language" in ('en', 'de', 'fr', 'es', 'nl'));--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_default_reminder_days_range" CHECK ("workspaces"."default_reminder_days" between 1 and 365);