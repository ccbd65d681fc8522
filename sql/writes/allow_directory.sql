-- The one folder a locked-down reader may still write to (the export's fresh temporary
-- folder); run before lock_down_reader.sql.
-- Parameter: $directory (an absolute path ending in '/').
set allowed_directories = [$directory];
