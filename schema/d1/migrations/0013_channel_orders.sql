CREATE TABLE `channel_bindings` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`channel` text NOT NULL,
	`app_id` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`platform_shop_id` text NOT NULL,
	`auto_accept` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_bindings_shop` ON `channel_bindings` (`channel`,`platform_shop_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `channel_bindings_store` ON `channel_bindings` (`store_id`,`channel`);--> statement-breakpoint
CREATE TABLE `channel_orders` (
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `external_id`)
);
--> statement-breakpoint
CREATE TABLE `channel_refusals` (
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`channel`, `reason`, `day`)
);
