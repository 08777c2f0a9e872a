"""Reading: find the article files, read each into an `Article`, and what its text says about itself."""
