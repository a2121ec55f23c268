from sidekel.cli import main

main()
