-- The extraction query of `tagolym elt` (BigQuery standard SQL), as the anchor tagolym-ml runs it: every post of
-- the "High School Olympiads" category of the contest_collections tables that has at least one tag, one row per
-- distinct post text, with its tags. Edit it freely (another category, a date range, more columns): elt needs a
-- STRING column post_canonical and an ARRAY<STRING> column tags, and writes every column the query returns.
SELECT
  post_canonical,
  ANY_VALUE(ARRAY(SELECT * FROM UNNEST(tags))) AS tags
FROM `tag-math-olympiad.contest_collections.*`
WHERE
  category_name = "High School Olympiads"
  AND ARRAY_LENGTH(tags) > 0
GROUP BY 1
