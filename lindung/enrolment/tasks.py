"""Background jobs of the enrolment stage: they take IDs and can be re-run."""

from django_tasks import task

from lindung.enrolment import papers
from lindung.enrolment.models import Cohort


@task()
def make_sk_task(cohort_id: int) -> None:
    cohort = Cohort.objects.select_related("program__pemda").get(pk=cohort_id)
    try:
        papers.make_sk_pdf(cohort)
    finally:
        Cohort.objects.filter(pk=cohort_id).update(sk_pending=False)  # never "sedang dibuat" forever
