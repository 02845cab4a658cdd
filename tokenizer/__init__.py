"""BPE tokenizer training, encoding and Arrow token shards (issue: tokenizer training and shards)."""
