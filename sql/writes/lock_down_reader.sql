-- A reading connection reaches its database and nothing else: no other file (read_*,
-- glob, COPY, EXPORT, ATTACH), no URL, no extension; and the settings are locked, so a
-- statement cannot turn any of it back on. Run before any statement of the user's.
-- No parameters.
-- DuckDB draws its progress bar on stdout, where it would land inside printed rows.
set enable_progress_bar = false;
set enable_external_access = false;
set lock_configuration = true;
