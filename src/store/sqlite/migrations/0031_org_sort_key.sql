-- The Vietnamese dictionary order of unit names (core/collate.c's text_sort_key), kept beside the name so lists sort
-- Cà Mau before Cao Bằng and Đồng Nai before Gia Lai in SQL on both engines. Filled by migrate and every unit insert.
ALTER TABLE org_unit ADD COLUMN sort_key TEXT;
