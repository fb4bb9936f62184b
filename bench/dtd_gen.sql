-- The door-to-door bench's data, added to a demo database (SQLite): 88 communes in each of the 34 provinces, 7 teams in
-- each (~20,900 teams), one entry a day for ten days from every team but each commune's seventh (idle) one (~180,000
-- entries, two services each), and the aggregates made from those entries as the guidance log keeps them.
BEGIN;
CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100) INSERT INTO n SELECT i FROM c;
CREATE TEMP TABLE days (k INTEGER PRIMARY KEY, day TEXT NOT NULL);
INSERT INTO days SELECT i, '2026-10-' || substr('0' || i, -2) FROM n WHERE i <= 10;
INSERT INTO org_unit (code, kind, level, parent_id, name, name_folded, path)
  SELECT 'bx-' || p.id || '-' || n.i, 'commune', 'commune', p.id, 'Xã Thử ' || n.i || ', ' || p.name, 'xa thu ' || n.i, p.path
  FROM org_unit p JOIN n ON n.i <= 88 WHERE p.kind = 'province' AND p.valid_to IS NULL;
UPDATE org_unit SET path = path || id || '/' WHERE code LIKE 'bx-%';
INSERT INTO cdt_team (org_id, name, name_folded, leader_name, contact, active, founded_on, created_at)
  SELECT o.id, 'Tổ công nghệ số số ' || n.i, 'to cong nghe so so ' || n.i, 'Tổ trưởng ' || n.i, '0912345678', 1, '2025-01-01', '2026-01-01T00:00:00Z'
  FROM org_unit o JOIN n ON n.i <= 7 WHERE o.code LIKE 'bx-%';
INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, place, people, male, female, age_u18, age_18_35, age_36_59, age_60p, services, created_at)
  SELECT 'bx-' || t.id || '-' || d.k, t.id, t.org_id, (SELECT MIN(id) FROM app_user), d.day, 'Thôn ' || (1 + t.id % 9),
         1 + (5 + (t.id + d.k) % 20) * (2 + o.parent_id % 5 + d.k % 3) / 3, 2, 2, 1, 1, 1, 1, '["vneid"]', '2026-10-10T00:00:00Z'
  FROM cdt_team t JOIN org_unit o ON o.id = t.org_id JOIN days d ON 1 = 1
  WHERE t.name != 'Tổ công nghệ số số 7' AND o.code LIKE 'bx-%';
INSERT INTO guidance_entry_service (entry_id, service) SELECT id, 'vneid' FROM guidance_entry WHERE client_id LIKE 'bx-%';
INSERT INTO guidance_entry_service (entry_id, service)
  SELECT id, CASE id % 6 WHEN 0 THEN 'dvc' WHEN 1 THEN 'cashless' WHEN 2 THEN 'ecommerce' WHEN 3 THEN 'health' WHEN 4 THEN 'signature' ELSE 'safe_internet' END
  FROM guidance_entry WHERE client_id LIKE 'bx-%';
INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p)
  SELECT org_id, day, COUNT(*), SUM(people), SUM(male), SUM(female), SUM(age_u18), SUM(age_18_35), SUM(age_36_59), SUM(age_60p)
  FROM guidance_entry WHERE client_id LIKE 'bx-%' GROUP BY org_id, day;
INSERT INTO guidance_day_service (org_id, day, service, people)
  SELECT e.org_id, e.day, s.service, SUM(e.people) FROM guidance_entry e JOIN guidance_entry_service s ON s.entry_id = e.id
  WHERE e.client_id LIKE 'bx-%' GROUP BY e.org_id, e.day, s.service;
COMMIT;
ANALYZE;
