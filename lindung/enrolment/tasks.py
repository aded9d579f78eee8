"""Background jobs of the enrolment stage: they take IDs and can be re-run."""

from django.utils import timezone
from django_tasks import task

from lindung.enrolment import papers
from lindung.enrolment.models import Cohort
from lindung.lib import jobs
from lindung.reports.sk import SkError


@task()
def make_sk_task(cohort_id: int) -> None:
    Cohort.objects.recover_stale()  # a worker restarted after a kill cleans up after its predecessor
    cohort = Cohort.objects.select_related("program__pemda").get(pk=cohort_id)
    this = Cohort.objects.filter(pk=cohort_id)
    this.update(sk_heartbeat_at=timezone.now())
    try:
        papers.sweep_orphans(cohort)  # volumes a killed job stored and nothing names
        with jobs.heartbeat(this, "sk_heartbeat_at"):
            papers.make_sk_pdf(cohort)
    except SkError as exc:
        this.update(sk_error=f"SK tidak dapat dibuat: {exc}"[:255])
    finally:
        # Never "sedang dibuat" forever; a killed worker skips this, and recover_stale does it instead.
        this.update(sk_pending=False, sk_heartbeat_at=None)
