CREATE TABLE `order_archive_members` (
	`member_id` text NOT NULL,
	`store_id` text NOT NULL,
	`month` text NOT NULL,
	`brand_id` text NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`refs` text NOT NULL,
	PRIMARY KEY(`member_id`, `store_id`, `month`)
);
--> statement-breakpoint
CREATE TABLE `order_archives` (
	`store_id` text NOT NULL,
	`month` text NOT NULL,
	`brand_id` text NOT NULL,
	`key` text NOT NULL,
	`orders` integer NOT NULL,
	`bytes` integer NOT NULL,
	`archived_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `month`)
);
