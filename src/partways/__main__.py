from partways.cli import main

main()
