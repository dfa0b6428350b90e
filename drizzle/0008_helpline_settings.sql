-- Slice D (issue 11 item 3, issue 10 item 8): the operator's proposal for what a supervisor signs in
-- the helpline profile gets an English description of its own (`description` is the Dutch one), the
-- crisis options (JSON, the shape of PROTOCOL.md §10 type 0x0b) and the quick-exit destination
-- ('' = the build's BRIEFGEHEIM_EXIT_URL). Retention and lock minutes already have columns.
ALTER TABLE `helplines` ADD `description_en` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `helplines` ADD `crisis_options` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `helplines` ADD `exit_url` text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- Before this migration one description served both languages.
UPDATE `helplines` SET `description_en` = `description`;
