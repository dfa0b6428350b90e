ALTER TABLE `sessions` ADD `seeker_sign_in_pk` text;
