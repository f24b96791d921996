CREATE TABLE "payment_link_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"field" text NOT NULL,
	"from_value" jsonb NOT NULL,
	"to_value" jsonb NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_link_changes_field_known" CHECK ("payment_link_changes"."field" in ('description', 'validity', 'amount'))
);
--> statement-breakpoint
ALTER TABLE "payment_link_changes" ADD CONSTRAINT "payment_link_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_link_changes" ADD CONSTRAINT "payment_link_changes_link_id_fk" FOREIGN KEY ("workspace_id","link_id") REFERENCES "public"."payment_links"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_link_changes_link_idx" ON "payment_link_changes" USING btree ("workspace_id","link_id","changed_at");