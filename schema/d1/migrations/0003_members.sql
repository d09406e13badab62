CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`subject_id` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_consents` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`granted` integer NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_consents_member` ON `member_consents` (`member_id`,`kind`,`created_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `phone_sealed` text;--> statement-breakpoint
ALTER TABLE `members` ADD `phone_hash` text;--> statement-breakpoint
ALTER TABLE `members` ADD `birthday` text;--> statement-breakpoint
ALTER TABLE `members` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `tokens_valid_after` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `deleted_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `members_brand_phone` ON `members` (`brand_id`,`phone_hash`);