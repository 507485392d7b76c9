"""The congress app's pages: home, nominee lists, the dashboard, documents."""
