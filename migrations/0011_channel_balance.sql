ALTER TABLE `channels` ADD `balance_source` text DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `balance_threshold_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `balance` text DEFAULT '{}' NOT NULL;