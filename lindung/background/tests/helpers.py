"""Running queued jobs in tests: through the real worker (`run_worker`, needs a transactional test so the
worker's connection sees the rows), or the same runner in the test's own transaction (`run_waiting_jobs`)."""

from django.core.management import call_command

from lindung.background import runner
from lindung.background.models import Job
from lindung.background.tasks import handlers


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)


def run_waiting_jobs() -> list[Job]:
    ran = []
    for pk in Job.objects.filter(state=Job.State.WAITING).order_by("pk").values_list("pk", flat=True):
        runner.run(pk, handlers())
        ran.append(Job.objects.get(pk=pk))
    return ran
