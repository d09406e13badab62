CREATE TABLE `carrier_accounts` (
	`store_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`carrier` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`settings` text NOT NULL,
	`secrets_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `carrier`)
);
--> statement-breakpoint
CREATE INDEX `carrier_accounts_brand` ON `carrier_accounts` (`brand_id`);--> statement-breakpoint
CREATE TABLE `delivery_callback_refusals` (
	`carrier` text NOT NULL,
	`reason` text NOT NULL,
	`day` text NOT NULL,
	`count` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`carrier`, `reason`, `day`)
);
--> statement-breakpoint
CREATE TABLE `delivery_dispatches` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_no` text,
	`status` text NOT NULL,
	`fee` integer NOT NULL,
	`promised_minutes` integer NOT NULL,
	`sub_carrier` text,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delivery_dispatches_one_live` ON `delivery_dispatches` (`order_id`) WHERE status in ('placing', 'live');--> statement-breakpoint
CREATE INDEX `delivery_dispatches_order` ON `delivery_dispatches` (`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `delivery_dispatches_tracking` ON `delivery_dispatches` (`carrier`,`tracking_no`);