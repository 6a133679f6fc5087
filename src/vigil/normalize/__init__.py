"""Normalization: from a `RawItem` to an `Item` with display text, folded matching text, URLs,
handles, hashtags and language. The original text is always kept."""
