import sys

from newsdesk.cli.main import main

sys.exit(main())
