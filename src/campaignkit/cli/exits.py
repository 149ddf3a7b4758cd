"""The exit codes every command shares, and where a run keeps its plugins: a module of
its own, so that the command group and the commands' shared output both use it without
importing each other."""

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""The campaign, a file or the ledger has problems: bad input, said."""
EXIT_USAGE = 2
"""The command was given wrongly: a slip of the person typing it."""
EXIT_FAILURE = 3
"""Something failed that is not the input's fault: a plugin, the disk, a bug."""

HOST_KEY = "campaignkit.host"
"""Where the loaded plugin host is kept in the click context, so it is loaded once a run."""
