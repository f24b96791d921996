ALTER TABLE "payment_links" ADD COLUMN "checkout_lease_payment_id" uuid;--> statement-breakpoint
ALTER TABLE "payment_links" ADD COLUMN "checkout_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "checkout_closed_at" timestamp with time zone;