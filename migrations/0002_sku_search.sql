-- Name search that does not grow with the catalog: an FTS5 index over each SKU's name written as one
-- token per character ('可 口 可 乐 5 0 0 m l', see electron/till/catalog.ts searchChars). A phrase
-- query of the typed characters is then a substring match of any length (two-character Chinese words
-- included, which a trigram index cannot serve), answered from the index, not by scanning skus.
-- The app keeps it in step with skus.name (catalog.ts indexSkuName) and backfills it when empty.
CREATE VIRTUAL TABLE `sku_search` USING fts5(`sku_id` UNINDEXED, `chars`, tokenize = 'unicode61 remove_diacritics 0');
