CREATE TABLE `demo_seed` (
	`brand_id` text PRIMARY KEY NOT NULL,
	`seeded_at` integer NOT NULL
);
