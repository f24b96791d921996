CREATE TABLE "edu_courses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_minor" bigint,
	"currency" char(3),
	"is_free" boolean NOT NULL,
	"is_published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "edu_courses_workspace_id_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "edu_courses_price_matches_free" CHECK (("edu_courses"."is_free" and "edu_courses"."price_minor" is null and "edu_courses"."currency" is null) or (not "edu_courses"."is_free" and "edu_courses"."price_minor" > 0 and "edu_courses"."currency" ~ '^[A-Z]{3}$'))
);
--> statement-breakpoint
CREATE TABLE "edu_enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "edu_enrollments_workspace_payment_unique" UNIQUE("workspace_id","payment_id")
);
--> statement-breakpoint
ALTER TABLE "edu_enrollments" ADD CONSTRAINT "edu_enrollments_course_fk" FOREIGN KEY ("workspace_id","course_id") REFERENCES "public"."edu_courses"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "edu_courses_workspace_created_idx" ON "edu_courses" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "edu_enrollments_workspace_contact_idx" ON "edu_enrollments" USING btree ("workspace_id","contact_id","granted_at");--> statement-breakpoint
CREATE INDEX "edu_enrollments_workspace_course_idx" ON "edu_enrollments" USING btree ("workspace_id","course_id");