"""Search: the Pagefind index in shards and the text it is given."""
