CREATE TABLE `partner_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`last4` text NOT NULL,
	`scopes` text NOT NULL,
	`store_ids` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_keys_key_hash_unique` ON `partner_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `partner_keys_brand` ON `partner_keys` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `order_history_store_changed` ON `order_history` (`store_id`,`updated_at`,`id`);