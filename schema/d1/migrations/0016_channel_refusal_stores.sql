PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_channel_refusals` (
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`day` text NOT NULL,
	`store_id` text DEFAULT '' NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` integer,
	PRIMARY KEY(`channel`, `reason`, `day`, `store_id`)
);
--> statement-breakpoint
INSERT INTO `__new_channel_refusals`("channel", "reason", "day", "store_id", "count", "last_at") SELECT "channel", "reason", "day", '', "count", NULL FROM `channel_refusals`;--> statement-breakpoint
DROP TABLE `channel_refusals`;--> statement-breakpoint
ALTER TABLE `__new_channel_refusals` RENAME TO `channel_refusals`;--> statement-breakpoint
PRAGMA foreign_keys=ON;