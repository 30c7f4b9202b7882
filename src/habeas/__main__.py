from habeas.cli import main

raise SystemExit(main())
