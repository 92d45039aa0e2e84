-- Listing a customer's files (/user_files_v2) by the orders people use: Carbon's default
-- (updated_at), newest first (created_at) and by name. With these, a page reads its own rows in
-- index order instead of sorting every file of the customer (see FileListingSql). The other orders
-- (last_sync, file_size) still sort; id order uses files_customer.
CREATE INDEX files_customer_updated ON files (customer_id, updated_at, id);
CREATE INDEX files_customer_created ON files (customer_id, created_at, id);
CREATE INDEX files_customer_name ON files (customer_id, name, id);
