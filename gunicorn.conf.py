"""gunicorn's settings for lindung, read from the working directory: `gunicorn lindung.wsgi`.

Sync workers, two per core: a page is ~5-35 ms of Python, and threads inside one worker wait on each
other's GIL. Measured at 1.000.000 candidates, 20 clients, 2 cores (bench/scale/load.py, SQLite):
2 workers x 4 threads p95 516 ms; 4 workers x 1 thread p95 357 ms. Override with GUNICORN_CMD_ARGS.
"""

import multiprocessing

bind = "127.0.0.1:8000"  # behind the pemda's reverse proxy
workers = 2 * multiprocessing.cpu_count()
threads = 1
timeout = 60  # heavy work runs in `lindung db_worker`, never in a request
