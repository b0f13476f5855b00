"""Any release or nightly build on the package index: listing, installing, bisecting, standalone repros."""
