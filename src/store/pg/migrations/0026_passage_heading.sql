-- The assistant's passages know where they sit in their document: the heading of the section a chunk starts in
-- ("II. NHIỆM VỤ", "3. Bồi dưỡng kỹ năng số cho giáo viên"), so an answer is read in its section's context and cited
-- with it. NULL for a chunk before any heading and for items without sections. Not indexed for search: context only.
ALTER TABLE search_passage ADD COLUMN heading TEXT;
