-- The pipeline's writing connection reads and writes its database only: no other file,
-- no URL, no extension (claimwatch needs none). Its settings stay open for the bulk
-- query's memory limit.
-- No parameters.
-- DuckDB draws its progress bar on stdout, where it would land inside printed rows.
set enable_progress_bar = false;
set enable_external_access = false;
