ALTER TABLE `invites` ADD `sealed_secret` blob;--> statement-breakpoint
ALTER TABLE `members` ADD `key_proof` blob;--> statement-breakpoint
ALTER TABLE `sessions` ADD `revoked_reason` text;