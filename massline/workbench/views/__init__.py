"""Staff workbench views. Every view checks the user's roles on the server (see ``..access``)."""
