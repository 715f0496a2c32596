"""Theme integration: our templates and assets, added to the site's Material theme."""
