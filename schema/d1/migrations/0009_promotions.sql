CREATE TABLE `promotion_uses` (
	`promotion_id` text NOT NULL,
	`order_id` text NOT NULL,
	`member_id` text,
	`store_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`promotion_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `promotion_uses_member` ON `promotion_uses` (`promotion_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `promotion_uses_order` ON `promotion_uses` (`order_id`);