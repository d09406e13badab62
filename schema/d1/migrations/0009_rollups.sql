ALTER TABLE `order_history` ADD `business_day` text;--> statement-breakpoint
ALTER TABLE `order_history` ADD `local_hour` integer;--> statement-breakpoint
CREATE INDEX `order_history_store_day` ON `order_history` (`store_id`,`business_day`);--> statement-breakpoint
CREATE INDEX `member_coupons_brand_issued` ON `member_coupons` (`brand_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `member_coupons_brand_used` ON `member_coupons` (`brand_id`,`used_at`);--> statement-breakpoint
CREATE INDEX `points_ledger_brand_created` ON `points_ledger` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `members_brand_created` ON `members` (`brand_id`,`created_at`);