CREATE TABLE `media_objects` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer
);
--> statement-breakpoint
CREATE INDEX `media_objects_released` ON `media_objects` (`released_at`);--> statement-breakpoint
CREATE TABLE `member_photos` (
	`member_id` text NOT NULL,
	`key` text NOT NULL,
	`brand_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `member_photos_recent` ON `member_photos` (`member_id`,`created_at`);