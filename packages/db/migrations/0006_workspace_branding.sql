CREATE TABLE "workspace_branding" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"public_id" text NOT NULL,
	"display_name" text,
	"accent_color" text,
	"support_email" text,
	"support_url" text,
	"thank_you_message" text,
	"logo" "bytea",
	"logo_content_type" text,
	"logo_byte_size" integer,
	"logo_sha256" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_branding_public_id_unique" UNIQUE("public_id"),
	CONSTRAINT "workspace_branding_accent_color_hex" CHECK ("workspace_branding"."accent_color" ~ '^#[0-9a-f]{6}$'),
	CONSTRAINT "workspace_branding_logo_content_type_known" CHECK ("workspace_branding"."logo_content_type" in ('image/png', 'image/jpeg', 'image/webp')),
	CONSTRAINT "workspace_branding_logo_size" CHECK ("workspace_branding"."logo_byte_size" between 1 and 204800),
	CONSTRAINT "workspace_branding_logo_complete" CHECK (("workspace_branding"."logo" is null) = ("workspace_branding"."logo_content_type" is null) and ("workspace_branding"."logo" is null) = ("workspace_branding"."logo_byte_size" is null) and ("workspace_branding"."logo" is null) = ("workspace_branding"."logo_sha256" is null))
);
--> statement-breakpoint
ALTER TABLE "workspace_branding" ADD CONSTRAINT "workspace_branding_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;