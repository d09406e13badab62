CREATE TABLE `member_coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`template_id` text NOT NULL,
	`rule` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer NOT NULL,
	`status` text DEFAULT 'available' NOT NULL,
	`order_id` text,
	`issued_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_coupons_member` ON `member_coupons` (`member_id`,`status`);--> statement-breakpoint
CREATE INDEX `member_coupons_order` ON `member_coupons` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_history` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`member_id` text,
	`ticket_no` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`body` text NOT NULL,
	`last_seq` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_history_member` ON `order_history` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `order_history_store` ON `order_history` (`store_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `promotions` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`rule` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `promotions_brand` ON `promotions` (`brand_id`);--> statement-breakpoint
ALTER TABLE `stores` ADD `settings` text DEFAULT '{}' NOT NULL;