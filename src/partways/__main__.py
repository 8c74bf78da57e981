from partways.launch import main

main()
