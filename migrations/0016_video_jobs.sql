CREATE TABLE `video_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`token_id` integer NOT NULL,
	`request_id` text NOT NULL,
	`inbound` text NOT NULL,
	`model` text NOT NULL,
	`upstream_model` text NOT NULL,
	`group` text NOT NULL,
	`channel_id` integer NOT NULL,
	`key_index` integer NOT NULL,
	`upstream_id` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`prompt` text DEFAULT '' NOT NULL,
	`size` text DEFAULT '' NOT NULL,
	`seconds` integer NOT NULL,
	`price` text NOT NULL,
	`multiplier_micros` integer NOT NULL,
	`hold_units` integer NOT NULL,
	`hold` text NOT NULL,
	`reported_seconds` integer,
	`charged_units` integer,
	`result_ref` text DEFAULT '' NOT NULL,
	`expires_at` integer,
	`error_code` text DEFAULT '' NOT NULL,
	`error_message` text DEFAULT '' NOT NULL,
	`polls` integer DEFAULT 0 NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`attempts` text DEFAULT '[]' NOT NULL,
	`next_poll_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `video_jobs_user` ON `video_jobs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `video_jobs_live` ON `video_jobs` (`state`,`next_poll_at`);--> statement-breakpoint
ALTER TABLE `prices` ADD `video` text;