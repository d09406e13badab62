ALTER TABLE `devices` ADD `provisioning_handle` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `provisioning_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `devices_provisioning_handle` ON `devices` (`provisioning_handle`);