"""Strategic issues and what is decided about them."""
