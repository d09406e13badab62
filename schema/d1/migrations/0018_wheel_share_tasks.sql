CREATE TABLE `wheel_share_opens` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`wheel_id` text NOT NULL,
	`sharer_id` text NOT NULL,
	`day` text NOT NULL,
	`opener_id` text NOT NULL,
	`open_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_share_opens_opener` ON `wheel_share_opens` (`wheel_id`,`sharer_id`,`day`,`opener_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_share_opens_key` ON `wheel_share_opens` (`wheel_id`,`sharer_id`,`day`,`open_key`);--> statement-breakpoint
ALTER TABLE `wheels` ADD `shares_for_free_spin` integer;