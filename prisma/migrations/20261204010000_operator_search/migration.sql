-- Operators pick users and VMs by name across realms (explain, issue 13): prefix searches on
-- lower-cased names and emails. Byte order (COLLATE "C") so that a prefix is a plain index range
-- (>= prefix AND < prefix || U+10FFFF), usable by generic plans too, and the keyset pages
-- (name, id) walk the same index. Prisma's schema language cannot express expression indexes:
-- they live here only (schema-drift.int.test.ts lists them).
CREATE INDEX "users_email_prefix_idx" ON "users" ((lower("email")) COLLATE "C", "id");
CREATE INDEX "users_name_prefix_idx" ON "users" ((lower("name")) COLLATE "C", "id");
CREATE INDEX "vms_name_prefix_idx" ON "vms" ((lower("name")) COLLATE "C", "id");
