CREATE TABLE `groups` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`multiplier_micros` integer DEFAULT 1000000 NOT NULL,
	`selectable` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_sealed` text NOT NULL,
	`key_mask` text NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`remain_quota` integer DEFAULT 0 NOT NULL,
	`unlimited_quota` integer DEFAULT false NOT NULL,
	`used_quota` integer DEFAULT 0 NOT NULL,
	`expired_time` integer DEFAULT -1 NOT NULL,
	`billing_mode` text DEFAULT 'usage_first' NOT NULL,
	`group` text DEFAULT 'default' NOT NULL,
	`fallback_groups` text,
	`models` text,
	`allow_ips` text,
	`created_time` integer DEFAULT (unixepoch()) NOT NULL,
	`accessed_time` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group`) REFERENCES `groups`(`name`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_key_hash_unique` ON `tokens` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_user_name` ON `tokens` (`user_id`,`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'user' NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`quota` integer NOT NULL,
	`used_quota` integer DEFAULT 0 NOT NULL,
	`unlimited` integer DEFAULT false NOT NULL,
	`request_count` integer DEFAULT 0 NOT NULL,
	`access_token_hash` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_access_token_hash_unique` ON `users` (`access_token_hash`);