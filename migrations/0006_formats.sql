ALTER TABLE `channels` ADD `supports_responses` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `api_version` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `prices` ADD `cache_write_micros` integer;