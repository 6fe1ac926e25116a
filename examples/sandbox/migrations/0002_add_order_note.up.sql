-- expand: a nullable column; the release still live ignores it.
ALTER TABLE orders ADD COLUMN note TEXT;
