-- H2 needs no extension; this keeps the migration numbering identical on both vendors.
SELECT 1;
