ALTER TABLE `users` ADD `currency` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text DEFAULT '' NOT NULL;