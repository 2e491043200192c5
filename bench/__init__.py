"""``make bench``: Till's checkout endpoints against a minimal floor."""
