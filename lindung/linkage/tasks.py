"""Background jobs (architecture.md rule 5): they take IDs, report progress to the run's row, and can be re-run."""

from django_tasks import task

from lindung.linkage import services
from lindung.linkage.models import MatchRun


@task()
def run_matching_task(run_id: int) -> None:
    MatchRun.objects.recover_stale()  # a worker restarted after a kill cleans up after its predecessor
    run = MatchRun.objects.select_related("started_by").get(pk=run_id)
    services.run_matching(run)
