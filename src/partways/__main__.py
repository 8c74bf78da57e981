import sys

if sys.argv[1:2] == ["lint"]:  # the linter starts without typer (partways.lint.command)
    from partways.lint.command import fast_main

    status = fast_main(sys.argv[2:])
    if status is not None:
        sys.exit(status)

from partways.cli import main

main()
