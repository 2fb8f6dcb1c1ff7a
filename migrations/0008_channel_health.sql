ALTER TABLE `channels` ADD `health` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `health_epoch` integer DEFAULT 0 NOT NULL;