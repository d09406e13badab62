CREATE INDEX `campaign_targets_period` ON `campaign_targets` (`campaign_id`,`period`);--> statement-breakpoint
CREATE INDEX `order_history_brand` ON `order_history` (`brand_id`,`status`,`created_at`);