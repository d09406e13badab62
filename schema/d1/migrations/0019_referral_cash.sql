CREATE TABLE `referral_cash` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`inviter_id` text NOT NULL,
	`invitee_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`unlocked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_cash_invitee` ON `referral_cash` (`invitee_id`);--> statement-breakpoint
CREATE INDEX `referral_cash_inviter` ON `referral_cash` (`inviter_id`,`status`);