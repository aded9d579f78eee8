#!/usr/bin/env python
"""Same as the `lindung` console script."""

from lindung.cli import main

if __name__ == "__main__":
    main()
