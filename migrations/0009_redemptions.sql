CREATE TABLE `redemptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer DEFAULT 0 NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_mask` text NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`quota` integer NOT NULL,
	`created_time` integer DEFAULT (unixepoch()) NOT NULL,
	`redeemed_time` integer DEFAULT 0 NOT NULL,
	`used_user_id` integer DEFAULT 0 NOT NULL,
	`expired_time` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemptions_key_hash_unique` ON `redemptions` (`key_hash`);--> statement-breakpoint
CREATE INDEX `redemptions_name` ON `redemptions` (`name`);--> statement-breakpoint
CREATE INDEX `redemptions_used_user` ON `redemptions` (`used_user_id`);