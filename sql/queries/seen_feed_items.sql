-- Feed items already taken up, so a feed's next poll skips them. Grain: one row per item.
-- No parameters.
select item_url
from feed_items
