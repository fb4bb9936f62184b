-- Whether a door-to-door campaign shows on the portal: its public page, its honours and the home page's counter. A
-- campaign the centre runs for itself (a pilot, a rehearsal) stays among officials. Existing campaigns stay public.
ALTER TABLE dtd_campaign ADD COLUMN is_public INTEGER NOT NULL DEFAULT 1;
