CREATE TABLE `phone_codes` (
	`member_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`phone_hash` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
