"""seckb: a comparative electoral-law knowledge base (library API)."""
