CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text,
	`member_id` text NOT NULL,
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`reverses_id` text,
	`replaces_id` text,
	`buyer_type` text NOT NULL,
	`title` text NOT NULL,
	`tax_number` text,
	`email` text NOT NULL,
	`amount` integer NOT NULL,
	`tax_amount` integer NOT NULL,
	`tax_rate_bp` integer NOT NULL,
	`tax_code` text NOT NULL,
	`goods_name` text NOT NULL,
	`status` text NOT NULL,
	`serial_no` text,
	`invoice_number` text,
	`pdf_url` text,
	`fail_cause` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`issued_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_source_original` ON `invoices` (`source`,`source_id`) WHERE kind = 'blue' AND replaces_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_reverses` ON `invoices` (`reverses_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_replaces` ON `invoices` (`replaces_id`);--> statement-breakpoint
CREATE INDEX `invoices_member` ON `invoices` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invoices_store` ON `invoices` (`store_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invoices_source` ON `invoices` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `invoices_pending` ON `invoices` (`status`,`updated_at`);