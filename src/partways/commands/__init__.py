"""CLI commands, one module per area. Modules import only typer at the top level;
everything heavier is imported inside the command that needs it."""
