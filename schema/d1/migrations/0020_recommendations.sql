CREATE TABLE `item_pairs` (
	`brand_id` text NOT NULL,
	`item_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`orders` integer NOT NULL,
	`permille` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`brand_id`, `item_id`, `partner_id`)
);
--> statement-breakpoint
CREATE TABLE `item_popularity` (
	`store_id` text NOT NULL,
	`band` text NOT NULL,
	`item_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`orders` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `band`, `item_id`)
);
--> statement-breakpoint
CREATE INDEX `item_popularity_brand` ON `item_popularity` (`brand_id`);