"""The CLI's commands, one module each; `planlint.cli` imports a command when it runs."""
