ALTER TABLE `holds` ADD `user_period_start` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `budget_period` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `period_quota` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `period_start` integer DEFAULT 0 NOT NULL;