"""campaignkit's built-in plugins: ordinary plugins, registered first, each disable-able by name."""
